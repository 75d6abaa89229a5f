import { describe, expect, it } from 'vitest';
import { LIMITS } from '../protocol/limits.ts';
import { createBackend } from './backend.ts';
import { API, CONTROL_PATHS, routeRequest } from './routes.ts';

describe('routeRequest', () => {
  it.each([
    ['GET', API.info, 'info', false],
    ['HEAD', API.info, 'info', false],
    ['GET', API.stats, 'stats', false],
    ['GET', API.poll, 'poll', false],
    ['GET', API.memory, 'memory', false],
    ['GET', API.runs, 'runs', false],
    ['GET', API.sse, 'sse', false],
    ['HEAD', API.sse, 'sse', false],
    ['POST', API.faults, 'faults', true],
    ['POST', API.auth, 'auth', true],
    ['POST', API.chat, 'chat', true],
    // Its JSON check comes after the token check.
    ['POST', API.stream, 'stream', false],
  ])('%s %s → %s (JSON checked first: %s)', (method, path, endpoint, json) => {
    expect(routeRequest(method, path)).toEqual({ kind: 'endpoint', endpoint, json });
  });

  it('a POST endpoint asked another way: 405, Allow: POST (stream names the EventSource endpoint)', () => {
    expect(routeRequest('GET', API.faults)).toEqual({
      kind: 'refuse',
      status: 405,
      error: 'GET is not allowed on /api/faults; use POST',
      headers: { Allow: 'POST' },
    });
    expect(routeRequest('PUT', API.stream)).toMatchObject({
      status: 405,
      error: 'PUT is not allowed on /api/stream; use POST with a JSON body (GET /api/sse is the EventSource endpoint)',
    });
    expect(routeRequest(undefined, API.chat)).toMatchObject({ status: 405, error: expect.stringMatching(/^this method/) as unknown });
  });

  it('any other path asked with another method than GET or HEAD: 405, Allow: GET (before 404)', () => {
    expect(routeRequest('POST', API.info)).toEqual({
      kind: 'refuse',
      status: 405,
      error: 'POST is not allowed on /api/info; use GET',
      headers: { Allow: 'GET' },
    });
    expect(routeRequest('DELETE', '/api/nope')).toMatchObject({ status: 405, headers: { Allow: 'GET' } });
    expect(routeRequest('POST', API.memory)).toMatchObject({ status: 405, headers: { Allow: 'GET' } });
  });

  it('GET /api/ws without an upgrade: 426; an unknown path: 404 with a pointer to /api/info', () => {
    expect(routeRequest('GET', API.ws)).toEqual({
      kind: 'refuse',
      status: 426,
      error: '/api/ws speaks WebSocket only: send an Upgrade: websocket request',
    });
    expect(routeRequest('GET', '/api/nope')).toEqual({ kind: 'refuse', status: 404, error: 'no endpoint /api/nope; see GET /api/info' });
  });

  it('control paths: faults, auth, chat, memory', () => {
    expect([...CONTROL_PATHS].sort()).toEqual([API.auth, API.chat, API.faults, API.memory].sort());
  });
});

describe('createBackend', () => {
  it('refuses a max rate out of range', () => {
    expect(() => createBackend({ maxRate: 10 })).toThrow(RangeError);
  });

  it('info: defaults, the token state, every limit and the catalogue with its rate cap', () => {
    const backend = createBackend({ version: '1.2.3', maxRate: 5_000 });
    const info = backend.info();
    expect(info).toMatchObject({ name: 'sse-vs-websocket-lab', version: '1.2.3', retryMs: 1000, heartbeatMs: 10_000, auth: { required: false } });
    expect(info.limits).toBe(LIMITS);
    expect(Object.keys(info.endpoints)).toEqual(['sse', 'ws', 'info', 'stats', 'runs', 'memory', 'poll', 'chat', 'stream', 'faults', 'auth', 'mcp', 'mcpSse']);
    const ticker = info.scenarios.find((s) => s.name === 'ticker');
    expect(ticker?.params.find((p) => p.name === 'rate')?.max).toBe(5_000);
    backend.auth.set('t');
    expect(backend.info().auth.required).toBe(true);
  });

  it('stats are a copy', () => {
    const backend = createBackend();
    const stats = backend.stats();
    stats.open.sse = 5;
    expect(backend.counters.open.sse).toBe(0);
  });
});
