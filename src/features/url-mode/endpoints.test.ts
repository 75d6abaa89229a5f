import { describe, expect, it } from 'vitest';
import {
  checkEndpoints,
  emptyEndpoints,
  isSecretHeader,
  mixedContent,
  parseHeaders,
  readEndpoints,
  runEndpoints,
  secretHeaderNames,
  urlModeLanes,
  writeEndpoints,
  type UrlEndpoints,
} from './endpoints.ts';

const base: UrlEndpoints = { ...emptyEndpoints, sse: 'http://127.0.0.1:9000/events', ws: 'ws://127.0.0.1:9001/socket' };
const codes = (e: Partial<UrlEndpoints>, page = 'http:') =>
  Object.fromEntries(Object.entries(checkEndpoints({ ...base, ...e }, page)).map(([field, p]) => [field, p?.code]));

describe('endpoints in the link', () => {
  it('round-trips everything but secret headers', () => {
    const e: UrlEndpoints = {
      sse: 'https://api.example.com/v1/stream?topic=a&b=1',
      ws: 'wss://api.example.com/socket',
      method: 'POST',
      headers: 'Content-Type: application/json\nAuthorization: Bearer sk-secret\nX-Api-Key: k\nX-Trace: 1',
      body: '{"stream":true}',
      wsSend: '{"op":"subscribe"}\n\n{"op":"ping"}',
      events: 'update, delta',
      mapping: { seq: 'data.id', t: 'meta.sentAt' },
    };
    const q = new URLSearchParams({ mode: 'url' });
    writeEndpoints(q, e);
    const text = q.toString();
    expect(text).not.toContain('sk-secret');
    expect(text).not.toContain('X-Api-Key');
    const back = readEndpoints(new URLSearchParams(text));
    expect(back).toEqual({
      ...e,
      headers: 'Content-Type: application/json\nX-Trace: 1',
      wsSend: '{"op":"subscribe"}\n{"op":"ping"}',
      events: 'update, delta',
    });
  });

  it('leaves defaults out and reads a bare link as defaults', () => {
    const q = new URLSearchParams();
    writeEndpoints(q, { ...emptyEndpoints, sse: 'http://x/e' });
    expect(q.toString()).toBe('sse=http%3A%2F%2Fx%2Fe');
    expect(readEndpoints(new URLSearchParams(''))).toEqual(emptyEndpoints);
    expect(readEndpoints(new URLSearchParams('method=bogus')).method).toBe('GET');
    expect(readEndpoints(new URLSearchParams('method=post')).method).toBe('POST');
  });

  it('an empty path in the link means "not carried"', () => {
    const q = new URLSearchParams();
    writeEndpoints(q, { ...emptyEndpoints, mapping: { seq: '', t: '' } });
    expect(readEndpoints(q).mapping).toEqual({ seq: '', t: '' });
  });

  it('knows which headers carry credentials', () => {
    for (const name of ['Authorization', 'proxy-authorization', 'Cookie', 'X-API-Key', 'x-auth-token', 'X-Session-Id', 'apikey', 'Password'])
      expect(isSecretHeader(name), name).toBe(true);
    for (const name of ['Content-Type', 'Accept', 'X-Trace', 'OpenAI-Beta']) expect(isSecretHeader(name), name).toBe(false);
    expect(secretHeaderNames('Authorization: Bearer x\nX-Trace: 1')).toEqual(['Authorization']);
  });
});

describe('what is wrong before anything is sent', () => {
  it('accepts a good pair, and either URL alone', () => {
    expect(codes({})).toEqual({});
    expect(codes({ ws: '' })).toEqual({});
    expect(codes({ sse: '' })).toEqual({});
    expect(codes({ sse: '', ws: '' })).toEqual({ urls: 'url.none' });
  });

  it('wants http(s) for SSE and ws(s) for the WebSocket, and offers the twin', () => {
    expect(codes({ sse: 'ws://x/e' })).toEqual({ sse: 'url.sseScheme' });
    expect(codes({ sse: 'not a url' })).toEqual({ sse: 'url.invalid' });
    const problems = checkEndpoints({ ...base, ws: 'https://x.example/socket' }, 'http:');
    expect(problems.ws).toEqual({ code: 'url.wsScheme', scheme: 'https:', suggestion: 'wss://x.example/socket' });
    expect(checkEndpoints({ ...base, ws: 'ftp://x/s' }, 'http:').ws).toEqual({ code: 'url.wsScheme', scheme: 'ftp:', suggestion: null });
  });

  it('mixed content: an https page cannot open http: or ws:, except on loopback', () => {
    expect(codes({ sse: 'http://api.example.com/e', ws: 'ws://api.example.com/s' }, 'https:')).toEqual({ sse: 'url.mixed', ws: 'url.mixed' });
    expect(checkEndpoints({ ...base, ws: 'ws://api.example.com/s' }, 'https:').ws).toEqual({
      code: 'url.mixed',
      url: 'ws://api.example.com/s',
      suggestion: 'wss://api.example.com/s',
    });
    expect(codes({ sse: 'http://localhost:9/e', ws: 'ws://127.0.0.5:9/s' }, 'https:')).toEqual({});
    expect(codes({ sse: 'http://[::1]:9/e', ws: 'ws://app.localhost/s' }, 'https:')).toEqual({});
    expect(codes({ sse: 'http://api.example.com/e' }, 'http:')).toEqual({});
    expect(mixedContent('https:', new URL('https://api.example.com/e'))).toBeNull();
  });

  it('refuses credentials in a URL (fetch would)', () => {
    expect(codes({ sse: 'http://user:pw@x/e' })).toEqual({ sse: 'url.credentials' });
  });

  it('checks header lines, forbidden headers, a body with GET and the paths', () => {
    expect(codes({ headers: 'no colon here' })).toEqual({ headers: 'headers.line' });
    expect(codes({ headers: 'Bad Name: x' })).toEqual({ headers: 'headers.line' });
    expect(codes({ headers: 'Origin: http://evil' })).toEqual({ headers: 'headers.forbidden' });
    expect(codes({ headers: 'Sec-Fetch-Mode: cors' })).toEqual({ headers: 'headers.forbidden' });
    expect(codes({ body: '{}' })).toEqual({ body: 'body.withGet' });
    expect(codes({ body: '{}', method: 'POST' })).toEqual({});
    expect(codes({ mapping: { seq: 'a..b', t: 't' } })).toEqual({ seq: 'path.invalid' });
    expect(parseHeaders('  \nA: 1\nB:two:three\n')).toEqual({ ok: true, headers: [['A', '1'], ['B', 'two:three']] });
  });
});

describe('the run', () => {
  it('has the lanes picked that have a URL; polling never', () => {
    const all = ['eventsource', 'fetch-sse', 'websocket', 'short-poll', 'long-poll'] as const;
    expect(urlModeLanes(all, base)).toEqual(['eventsource', 'fetch-sse', 'websocket']);
    expect(urlModeLanes(all, { sse: '', ws: 'ws://x' })).toEqual(['websocket']);
    expect(urlModeLanes(['websocket'], { sse: 'http://x', ws: '' })).toEqual([]);
  });

  it('gets the endpoints parsed: headers as pairs, messages by line, no body with GET', () => {
    const e = runEndpoints({
      ...base,
      sse: '  http://x/e ',
      method: 'POST',
      headers: 'Authorization: Bearer t\nX-A: 1',
      body: 'b',
      wsSend: 'one\n\n two',
      events: 'a, message ,b,',
      mapping: { seq: ' data.id ', t: '' },
    });
    expect(e).toEqual({
      sse: 'http://x/e',
      ws: base.ws,
      method: 'POST',
      headers: [['Authorization', 'Bearer t'], ['X-A', '1']],
      body: 'b',
      wsSend: ['one', ' two'],
      events: ['a', 'b'],
      mapping: { seq: 'data.id', t: '' },
    });
    expect(runEndpoints({ ...base, body: '' }).body).toBeNull();
  });
});
