/**
 * The words for what transports report as codes: each `TransportIssue` becomes a LocalText (a key and
 * its values, translated where it is shown, so a language switch also changes a message written
 * before it) or, for a server's or browser's own words, a string shown as it is.
 */
import type { MessageKey } from '../../i18n/en.ts';
import { localText, type LocalText } from '../../i18n/local-text.ts';
import type { CloseInfo, TransportIssue } from '../../transports/transport.ts';
import type { Diagnosis } from '../url-mode/diagnose.ts';
import { httpTwin } from '../url-mode/diagnose.ts';
import type { EndpointProblem } from '../url-mode/endpoints.ts';

/** A message for the page: translated where it is shown, or a string shown as it is. */
export type LaneMessage = LocalText | string;

/** Close codes with a name of their own; the names are in the dictionaries. */
const closeNames: Partial<Record<number, MessageKey>> = {
  1000: 'transport.close.1000',
  1001: 'transport.close.1001',
  1002: 'transport.close.1002',
  1003: 'transport.close.1003',
  1006: 'transport.close.1006',
  1007: 'transport.close.1007',
  1008: 'transport.close.1008',
  1009: 'transport.close.1009',
  1011: 'transport.close.1011',
  1012: 'transport.close.1012',
  1013: 'transport.close.1013',
  1014: 'transport.close.1014',
};

/** "1006 (abnormal closure: …): reason". */
export function describeClose({ code, reason }: CloseInfo): LocalText {
  const name = localText(closeNames[code] ?? 'transport.close.other');
  return reason
    ? localText('transport.close.withReason', { code, name, reason })
    : localText('transport.close.described', { code, name });
}

/** One issue in words. */
export function issueText(issue: TransportIssue): LaneMessage {
  switch (issue.code) {
    case 'frame.invalid':
      return localText('transport.invalidFrame', issue.params);
    case 'http': {
      // The status line and the server's reason: shown as they are, in every language.
      const { status, statusText, reason } = issue.params;
      return `HTTP ${status}${statusText ? ` ${statusText}` : ''}${reason !== null ? `: ${reason}` : ''}`;
    }
    case 'es.cannotOpen':
      return localText('transport.es.cannotOpen', issue.params);
    case 'es.gaveUp':
      return localText('transport.es.gaveUp');
    case 'es.neverOpened':
      return localText('transport.es.neverOpened');
    case 'ws.neverOpened':
      return localText('transport.ws.neverOpened', { close: describeClose(issue.params.close) });
    case 'fetch.requestFailed':
      return localText('transport.fetch.requestFailed', issue.params);
    case 'fetch.noContent':
      return localText('transport.fetch.noContent');
    case 'fetch.contentType': {
      const { type } = issue.params;
      return localText('transport.fetch.contentType', {
        type: type === null ? localText('transport.fetch.noContentType') : JSON.stringify(type),
      });
    }
    case 'fetch.noBody':
      return localText('transport.fetch.noBody');
    case 'fetch.broke':
      return localText('transport.fetch.broke', issue.params);
    case 'fetch.endedEarly':
      return localText('transport.fetch.endedEarly');
    case 'fetch.providerError':
      return localText('transport.fetch.providerError', issue.params);
    case 'fetch.noReconnect':
      return localText('transport.fetch.noReconnect', { message: issueText(issue.params.cause) });
    case 'ws.cannotOpen':
      return localText('transport.ws.cannotOpen', issue.params);
    case 'ws.badBinary':
      return localText('transport.ws.badBinary', issue.params);
    case 'ws.notTextOrBinary':
      return localText('transport.ws.neither');
    case 'ws.invalid':
      return localText('transport.ws.invalid', issue.params);
    case 'ws.server':
      return localText('transport.ws.server', issue.params);
    case 'ws.fatalClose':
      return localText('transport.ws.fatalClose', { close: describeClose(issue.params.close) });
    case 'ws.gaveUp':
      return localText('transport.ws.gaveUp', { attempts: issue.params.attempts, close: describeClose(issue.params.close) });
    case 'wss.unsupported':
      return localText('transport.wss.unsupported');
    case 'wss.needsLive':
      return localText('transport.wss.needsLive');
    case 'wss.broke':
      return localText('transport.wss.broke', issue.params);
    case 'poll.failed':
      return localText('transport.poll.failed', issue.params);
    case 'chat.http': {
      const { id, status, error } = issue.params;
      return error !== null
        ? localText('run.chat.httpErrorReason', { id, status, error })
        : localText('run.chat.httpError', { id, status });
    }
    case 'chat.failed':
      return localText('run.chat.error', issue.params);
  }
}

/** URL mode: why a lane failed, and what to try (commands are shown as they are, in every language). */
export interface LaneAdvice {
  what: LaneMessage;
  /** Each thing to try, with a command to run where there is one (shown as code, the same in every language). */
  tries: LaneTry[];
}

export interface LaneTry {
  say: LaneMessage;
  cmd?: string;
}

const say = (text: LocalText): LaneTry => ({ say: text });

const curl = (url: string) => `curl -i -N ${url}`;
const shellQuote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** The curl command that shows a WebSocket handshake's answer (101, or the status that says why not). */
export function wsHandshakeCommand(wsUrl: string): string {
  let twin = wsUrl;
  try {
    twin = httpTwin(wsUrl);
  } catch {
    // Not a URL: show it as typed.
  }
  return `curl -i -N -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: SGVsbG8sIHdvcmxkIQ==' ${twin}`;
}

/** What to try after a close code, by family. */
function closeTries(code: number): LaneTry[] {
  if (code >= 4000 && code <= 4999) return [say(localText('url.try.wsApp'))];
  if (code === 1008) return [say(localText('url.try.wsPolicy'))];
  if (code === 1011) return [say(localText('url.try.serverLog'))];
  if (code === 1002 || code === 1003 || code === 1007 || code === 1009) return [say(localText('url.try.wsData'))];
  return [say(localText('url.try.reconnect'))];
}

/** A diagnosis in words: what happened, and what to try. */
export function diagnosisText(d: Diagnosis): LaneAdvice {
  switch (d.code) {
    case 'unreachable':
      return {
        what: localText('url.why.unreachable', { url: d.url, error: d.error }),
        tries: [{ say: localText('url.try.curl'), cmd: curl(d.url) }, say(localText('url.try.newTab')), say(localText('url.try.host'))],
      };
    case 'cors':
      return {
        what: localText('url.why.cors', { origin: d.origin }),
        tries: [
          say(localText('url.try.corsHeader', { header: `Access-Control-Allow-Origin: ${d.origin}` })),
          { say: localText('url.try.curlCors'), cmd: `curl -i -N -H ${shellQuote(`Origin: ${d.origin}`)} ${d.url}` },
          say(localText('url.try.devtools')),
        ],
      };
    case 'cors-preflight': {
      const headers = d.headers.join(', ');
      const request = headers ? ` -H ${shellQuote(`Access-Control-Request-Headers: ${headers.toLowerCase()}`)}` : '';
      return {
        what: localText('url.why.corsPreflight', { method: d.method, headers: headers || '—' }),
        tries: [
          {
            say: localText('url.try.preflight', {
              methods: `Access-Control-Allow-Methods: ${d.method}`,
              headers: `Access-Control-Allow-Headers: ${headers || '*'}`,
            }),
            cmd: `curl -i -X OPTIONS -H ${shellQuote(`Origin: ${d.origin}`)} -H ${shellQuote(`Access-Control-Request-Method: ${d.method}`)}${request} ${d.url}`,
          },
        ],
      };
    }
    case 'http-status':
      return {
        what: localText('url.why.httpStatus', { status: `${d.status}${d.statusText ? ` ${d.statusText}` : ''}` }),
        tries: [say(localText('url.try.status'))],
      };
    case 'content-type':
      return {
        what: localText('url.why.contentType', { type: d.type === null ? localText('transport.fetch.noContentType') : JSON.stringify(d.type) }),
        tries: [say(localText('url.try.contentType'))],
      };
    case 'no-content':
      return { what: localText('url.why.noContent'), tries: [say(localText('url.try.reconnect'))] };
    case 'es-intermittent':
      return { what: localText('url.why.esIntermittent'), tries: [say(localText('url.try.esDevtools'))] };
    case 'es-unknown':
      return { what: localText('url.why.esUnknown'), tries: [say(localText('url.try.fetchLane')), say(localText('url.try.esDevtools'))] };
    case 'ws-no-upgrade':
      return {
        what: localText('url.why.wsNoUpgrade'),
        tries: [{ say: localText('url.try.wsCurl'), cmd: wsHandshakeCommand(d.url) }, say(localText('url.try.wsDevtools'))],
      };
    case 'ws-unreachable':
      return {
        what: localText('url.why.wsUnreachable', { url: d.url }),
        tries: [{ say: localText('url.try.wsCurl'), cmd: wsHandshakeCommand(d.url) }, say(localText('url.try.wsScheme'))],
      };
    case 'ws-close':
      return { what: localText('url.why.wsClose', { close: describeClose(d.close) }), tries: closeTries(d.close.code) };
    case 'ws-gave-up':
      return {
        what: localText('url.why.wsGaveUp', { attempts: d.attempts, close: describeClose(d.close) }),
        tries: closeTries(d.close.code),
      };
    case 'broke':
      return { what: localText('url.why.broke', { error: d.error || '—' }), tries: [say(localText('url.try.resume'))] };
    case 'request-invalid':
      return { what: localText('url.why.requestInvalid', { error: d.error }), tries: [say(localText('url.try.headers'))] };
  }
}

/** A problem of the endpoints form in words. */
export function endpointProblemText(p: EndpointProblem): LocalText {
  switch (p.code) {
    case 'url.none':
      return localText('url.problem.none');
    case 'url.invalid':
      return localText('url.problem.invalid', { url: JSON.stringify(p.url) });
    case 'url.sseScheme':
      return localText('url.problem.sseScheme', { scheme: p.scheme });
    case 'url.wsScheme':
      return p.suggestion === null
        ? localText('url.problem.wsScheme', { scheme: p.scheme })
        : localText('url.problem.wsSchemeTry', { scheme: p.scheme, suggestion: p.suggestion });
    case 'url.mixed':
      return localText('url.problem.mixed', { url: p.url, suggestion: p.suggestion });
    case 'url.credentials':
      return localText('url.problem.credentials');
    case 'headers.line':
      return localText('url.problem.headersLine', { line: p.line });
    case 'headers.forbidden':
      return localText('url.problem.headersForbidden', { name: p.name });
    case 'body.withGet':
      return localText('url.problem.bodyWithGet');
    case 'path.invalid':
      return localText('url.problem.path', { path: p.path });
  }
}
