/**
 * Why a URL-mode lane failed, from what the browser let the page see. Pure: the decisions only; the
 * words are in lane-words.ts and the dictionaries, the probing requests in url-probe.ts.
 *
 * A browser hides most causes on purpose: EventSource's `error` event has no reason, a CORS refusal and
 * a refused connection are the same TypeError in fetch, and a WebSocket that never opened closes with
 * 1006 whatever happened. So after such a failure the lab asks once more, in ways that tell the causes
 * apart (url-probe.ts):
 * - a CORS GET of the SSE URL: if it answers, its status and content type are what EventSource saw;
 * - if that fails, a `no-cors` GET: an (opaque) answer means the server is there and only CORS is
 *   missing; a failure too means nothing answered (refused, DNS, TLS, offline);
 * - for a WebSocket, a `no-cors` GET of its http(s) twin: an answer means a server is there but did
 *   not take the upgrade (wrong path, not a WebSocket endpoint, Origin refused); none, nothing there.
 * Where even that cannot decide, the diagnosis lists the possibilities and how to tell them apart.
 */
import type { CloseInfo, TransportIssue, TransportKind } from '../../transports/transport.ts';

/** What a probing request found. */
export type Probe =
  /** A CORS request got an answer the page may read. */
  | { kind: 'answered'; status: number; statusText: string; contentType: string | null }
  /** The CORS request failed, a no-cors one got an (opaque) answer: the server is there. */
  | { kind: 'opaque' }
  /** Nothing answered either request. */
  | { kind: 'unreachable'; error: string };

/** What happened, as a code and its values; lane-words.ts says it and what to try. */
export type Diagnosis =
  /** Nothing answered: refused, unknown host, TLS, offline. */
  | { code: 'unreachable'; url: string; error: string }
  /** The server answered, but not with the CORS headers this page needs. */
  | { code: 'cors'; url: string; origin: string }
  /** A simple GET passes CORS; the lane's own request (method, headers) needs a preflight that failed. */
  | { code: 'cors-preflight'; url: string; origin: string; method: string; headers: string[] }
  | { code: 'http-status'; status: number; statusText: string }
  | { code: 'content-type'; type: string | null }
  /** HTTP 204: the server's way to say "do not reconnect". */
  | { code: 'no-content' }
  /** EventSource gave up, yet the same URL answers 200 text/event-stream now: an intermittent failure. */
  | { code: 'es-intermittent' }
  /** The page could not find out (no probe possible). */
  | { code: 'es-unknown' }
  /** The WebSocket never opened; an HTTP server answers at that address but did not upgrade. */
  | { code: 'ws-no-upgrade'; url: string; close: CloseInfo }
  /** The WebSocket never opened, and nothing answers at that address. */
  | { code: 'ws-unreachable'; url: string; close: CloseInfo }
  /** The WebSocket closed after it had opened, with a code that retrying would not cure. */
  | { code: 'ws-close'; close: CloseInfo }
  | { code: 'ws-gave-up'; attempts: number; close: CloseInfo }
  /** The stream broke after it had started (network, proxy timeout, server crash). */
  | { code: 'broke'; error: string }
  /** The fetch lane's request could not even be made (a bad header value, a bad URL). */
  | { code: 'request-invalid'; error: string };

/** What the probe needs to know of the failing lane. */
export interface FailureContext {
  kind: TransportKind;
  /** The URL the lane opened. */
  url: string;
  /** The page's origin (what Access-Control-Allow-Origin must name, or `*`). */
  origin: string;
  /** fetch + SSE: the request's method and header names. */
  method?: string;
  headerNames?: string[];
}

/** Which probe a failure needs: 'sse' (CORS GET, then no-cors), 'ws' (no-cors GET of the http twin), or none. */
export function probeFor(issue: TransportIssue): 'sse' | 'ws' | null {
  const cause = issue.code === 'fetch.noReconnect' ? issue.params.cause : issue;
  switch (cause.code) {
    case 'es.gaveUp':
    case 'es.neverOpened':
      return 'sse';
    case 'fetch.requestFailed':
      // A TypeError before any answer: CORS or the network. A request the browser refused to make
      // (an invalid header value) is no network failure: no probe.
      return isRequestInvalid(cause.params.error) ? null : 'sse';
    case 'ws.neverOpened':
      return 'ws';
    default:
      return null;
  }
}

/** fetch's TypeError for a request it will not make at all, as Chromium and Firefox word it. */
function isRequestInvalid(error: string): boolean {
  return /invalid|not a valid|cannot be constructed|forbidden|unsupported/i.test(error) && !/failed to fetch|networkerror/i.test(error);
}

/** A simple request needs no preflight: GET/HEAD/POST with CORS-safelisted headers only. */
export function needsPreflight(method: string, headerNames: readonly string[]): boolean {
  if (!['GET', 'HEAD', 'POST'].includes(method.toUpperCase())) return true;
  // `accept` is safelisted; the lab adds it. Content-Type is safelisted only for three form types,
  // which the form lets through as typed: count any content-type as needing a preflight to be safe.
  return headerNames.some((name) => !['accept', 'accept-language', 'content-language'].includes(name.toLowerCase()));
}

/** The ws(s) URL's http(s) twin: what a plain GET to the same address asks. */
export function httpTwin(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.href;
}

/**
 * The diagnosis of a failure, from the transport's issue and what the probe found (null when none was
 * made). Never throws.
 */
export function diagnose(issue: TransportIssue, context: FailureContext, probe: Probe | null): Diagnosis | null {
  const cause = issue.code === 'fetch.noReconnect' ? issue.params.cause : issue;
  switch (cause.code) {
    case 'http':
      return { code: 'http-status', status: cause.params.status, statusText: cause.params.statusText };
    case 'fetch.contentType':
      return { code: 'content-type', type: cause.params.type };
    case 'fetch.noContent':
      return { code: 'no-content' };
    case 'fetch.broke':
    case 'fetch.endedEarly':
      return { code: 'broke', error: cause.code === 'fetch.broke' ? cause.params.error : '' };
    case 'ws.fatalClose':
      return { code: 'ws-close', close: cause.params.close };
    case 'ws.gaveUp':
      return { code: 'ws-gave-up', attempts: cause.params.attempts, close: cause.params.close };
    case 'ws.neverOpened':
      if (probe === null) return { code: 'ws-unreachable', url: context.url, close: cause.params.close };
      return probe.kind === 'unreachable'
        ? { code: 'ws-unreachable', url: context.url, close: cause.params.close }
        : { code: 'ws-no-upgrade', url: context.url, close: cause.params.close };
    case 'fetch.requestFailed':
      if (probe === null) return { code: 'request-invalid', error: cause.params.error };
      return sseDiagnosis(context, probe, true);
    case 'es.gaveUp':
    case 'es.neverOpened':
      return probe === null ? { code: 'es-unknown' } : sseDiagnosis(context, probe, false);
    default:
      return null;
  }
}

function sseDiagnosis(context: FailureContext, probe: Probe, fetchLane: boolean): Diagnosis {
  const { url, origin } = context;
  if (probe.kind === 'unreachable') return { code: 'unreachable', url, error: probe.error };
  if (probe.kind === 'opaque') return { code: 'cors', url, origin };
  // The CORS GET got through: its answer is what the lane saw, unless the lane's own request differs.
  if (fetchLane) {
    const method = context.method ?? 'GET';
    const headers = context.headerNames ?? [];
    // The lane's request failed where a simple GET passes: its preflight is what failed.
    if (needsPreflight(method, headers)) return { code: 'cors-preflight', url, origin, method, headers };
  }
  if (probe.status === 204) return { code: 'no-content' };
  if (probe.status < 200 || probe.status > 299) return { code: 'http-status', status: probe.status, statusText: probe.statusText };
  const type = probe.contentType;
  if (type === null || !type.toLowerCase().startsWith('text/event-stream')) return { code: 'content-type', type };
  return { code: 'es-intermittent' };
}
