import { describe, expect, it } from 'vitest';
import { issue, type TransportIssue } from '../../transports/transport.ts';
import { diagnose, httpTwin, needsPreflight, probeFor, type FailureContext, type Probe } from './diagnose.ts';

const origin = 'http://127.0.0.1:4573';
const sse: FailureContext = { kind: 'eventsource', url: 'http://127.0.0.1:9000/events', origin };
const fetchLane = (method = 'GET', headerNames: string[] = []): FailureContext => ({ ...sse, kind: 'fetch-sse', method, headerNames });
const ws: FailureContext = { kind: 'websocket', url: 'ws://127.0.0.1:9001/socket', origin };
const close = { code: 1006, reason: '' };

const answered = (status: number, contentType: string | null, statusText = ''): Probe => ({ kind: 'answered', status, statusText, contentType });
const opaque: Probe = { kind: 'opaque' };
const unreachable: Probe = { kind: 'unreachable', error: 'Failed to fetch' };
const failed = (error = 'Failed to fetch') => issue('fetch.noReconnect', { cause: issue('fetch.requestFailed', { error }) });

describe('which failures need the lab to ask again', () => {
  it('asks for the ones a browser will not explain, and only those', () => {
    expect(probeFor(issue('es.gaveUp', {}))).toBe('sse');
    expect(probeFor(issue('es.neverOpened', {}))).toBe('sse');
    expect(probeFor(failed())).toBe('sse');
    expect(probeFor(issue('fetch.requestFailed', { error: 'NetworkError when attempting to fetch resource.' }))).toBe('sse');
    expect(probeFor(issue('ws.neverOpened', { close }))).toBe('ws');
    // The answer said it already, or the browser refused to make the request at all.
    expect(probeFor(issue('http', { status: 404, statusText: 'Not Found', reason: null }))).toBeNull();
    expect(probeFor(issue('fetch.contentType', { type: 'text/html' }))).toBeNull();
    expect(probeFor(failed("Failed to execute 'fetch' on 'Window': Invalid value"))).toBeNull();
    expect(probeFor(issue('ws.fatalClose', { close: { code: 1008, reason: 'no' } }))).toBeNull();
  });
});

describe('EventSource gave up: what the probe tells', () => {
  const cases: [Probe, string][] = [
    [unreachable, 'unreachable'],
    [opaque, 'cors'],
    [answered(404, 'text/plain', 'Not Found'), 'http-status'],
    [answered(204, null), 'no-content'],
    [answered(200, 'application/json'), 'content-type'],
    [answered(200, null), 'content-type'],
    [answered(200, 'text/event-stream; charset=utf-8'), 'es-intermittent'],
  ];
  for (const [probe, code] of cases) {
    it(`${JSON.stringify(probe)} → ${code}`, () => {
      expect(diagnose(issue('es.gaveUp', {}), sse, probe)?.code).toBe(code);
      expect(diagnose(issue('es.neverOpened', {}), sse, probe)?.code).toBe(code);
    });
  }

  it('names the page’s origin for CORS, the status and the content type', () => {
    expect(diagnose(issue('es.gaveUp', {}), sse, opaque)).toEqual({ code: 'cors', url: sse.url, origin });
    expect(diagnose(issue('es.gaveUp', {}), sse, answered(503, 'text/plain', 'Service Unavailable'))).toEqual({
      code: 'http-status',
      status: 503,
      statusText: 'Service Unavailable',
    });
    expect(diagnose(issue('es.gaveUp', {}), sse, answered(200, 'text/html'))).toEqual({ code: 'content-type', type: 'text/html' });
    expect(diagnose(issue('es.gaveUp', {}), sse, null)).toEqual({ code: 'es-unknown' });
  });
});

describe('fetch failed before an answer', () => {
  it('CORS when nothing but a no-cors request got through', () => {
    expect(diagnose(failed(), fetchLane(), opaque)?.code).toBe('cors');
    expect(diagnose(failed(), fetchLane(), unreachable)?.code).toBe('unreachable');
  });

  it('the preflight when a plain GET passes and the lane’s own request needs one', () => {
    expect(diagnose(failed(), fetchLane('POST', ['Content-Type', 'X-Trace']), answered(200, 'text/event-stream'))).toEqual({
      code: 'cors-preflight',
      url: sse.url,
      origin,
      method: 'POST',
      headers: ['Content-Type', 'X-Trace'],
    });
    expect(diagnose(failed(), fetchLane('PUT'), answered(200, 'text/event-stream'))?.code).toBe('cors-preflight');
    // A simple request that failed where the probe passed: passing trouble, as for EventSource.
    expect(diagnose(failed(), fetchLane('GET', ['Accept']), answered(200, 'text/event-stream'))?.code).toBe('es-intermittent');
  });

  it('a request the browser would not make is said as such', () => {
    expect(diagnose(failed('Invalid header value'), fetchLane(), null)).toEqual({ code: 'request-invalid', error: 'Invalid header value' });
  });

  it('what the answer said needs no probe', () => {
    expect(diagnose(issue('http', { status: 401, statusText: 'Unauthorized', reason: 'no key' }), fetchLane(), null)).toEqual({
      code: 'http-status',
      status: 401,
      statusText: 'Unauthorized',
    });
    expect(diagnose(issue('fetch.contentType', { type: null }), fetchLane(), null)).toEqual({ code: 'content-type', type: null });
    expect(diagnose(issue('fetch.noContent', {}), fetchLane(), null)).toEqual({ code: 'no-content' });
    expect(diagnose(issue('fetch.noReconnect', { cause: issue('fetch.broke', { error: 'terminated' }) }), fetchLane(), null)).toEqual({
      code: 'broke',
      error: 'terminated',
    });
  });
});

describe('WebSocket', () => {
  it('never opened: a server that answers HTTP did not upgrade; none answering is unreachable', () => {
    const never = issue('ws.neverOpened', { close });
    expect(diagnose(never, ws, opaque)).toEqual({ code: 'ws-no-upgrade', url: ws.url, close });
    expect(diagnose(never, ws, unreachable)).toEqual({ code: 'ws-unreachable', url: ws.url, close });
    expect(diagnose(never, ws, null)?.code).toBe('ws-unreachable');
  });

  it('closes after an open keep their code', () => {
    const policy = { code: 1008, reason: 'bad token' };
    expect(diagnose(issue('ws.fatalClose', { close: policy }), ws, null)).toEqual({ code: 'ws-close', close: policy });
    expect(diagnose(issue('ws.gaveUp', { attempts: 12, close }), ws, null)).toEqual({ code: 'ws-gave-up', attempts: 12, close });
  });

  it('asks the http(s) twin of a ws(s) URL', () => {
    expect(httpTwin('ws://127.0.0.1:9/s?x=1')).toBe('http://127.0.0.1:9/s?x=1');
    expect(httpTwin('wss://example.com/s')).toBe('https://example.com/s');
  });
});

describe('preflight', () => {
  it('a simple request needs none; any other method or header does', () => {
    expect(needsPreflight('GET', [])).toBe(false);
    expect(needsPreflight('POST', ['Accept'])).toBe(false);
    expect(needsPreflight('POST', ['Content-Type'])).toBe(true);
    expect(needsPreflight('GET', ['Authorization'])).toBe(true);
    expect(needsPreflight('DELETE', [])).toBe(true);
  });

  it('unknown issues get no diagnosis', () => {
    const other: TransportIssue = issue('frame.invalid', { data: '"x"' });
    expect(diagnose(other, sse, null)).toBeNull();
  });
});
