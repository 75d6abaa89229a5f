/**
 * The mock's JSON endpoints in Node (MSW's setupServer), answering what the live server answers, and
 * the page's client (src/lib/lab-api.ts) reading them. The handlers use page-relative paths, so the
 * test gives MSW a page location to resolve them against.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLabApi } from '../lib/lab-api.ts';
import type { StreamTransport } from '../protocol/faults.ts';
import { apiFallback, controlHandlers } from './control-handlers.ts';
import { mockBackend, openMockStream, positions, resetMock } from './mock-state.ts';

const origin = 'http://lab.test';
vi.stubGlobal('location', { href: `${origin}/` });
const server = setupServer(...controlHandlers(), apiFallback());

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  resetMock();
});
afterAll(() => {
  server.close();
  vi.unstubAllGlobals();
});

const api = () => createLabApi({ origin });

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; type: string | null; body: unknown; headers: Headers }> {
  const response = await fetch(`${origin}${path}`, init);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json(), headers: response.headers };
}

const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A mocked stream of a run, registered as the stream handlers register theirs. */
function openStream(run: string, transport: StreamTransport) {
  const player = { stop: vi.fn() };
  const dropped = vi.fn();
  const stream = openMockStream({
    transport,
    run,
    after: 0,
    address: 'page',
    options: { flakyFrames: 0, flakyMs: 0 },
    connection: { stop: () => player.stop(), cut: () => dropped(), close: () => {} },
  });
  return { record: stream.record, player, dropped };
}

describe('POST /api/faults', () => {
  it('applies a fault and answers as the live server does', async () => {
    const sse = openStream('f1', 'sse');
    openStream('f1', 'ws');
    openStream('other', 'sse');
    expect(await api().fault({ action: 'drop', target: 'sse', run: 'f1' })).toEqual({ ok: true, dropped: 1 });
    expect(sse.dropped).toHaveBeenCalledTimes(1);
    const outage = await api().fault({ action: 'outage', mode: '503', ms: 1000, target: 'all', run: 'f1' });
    expect(outage).toMatchObject({ ok: true, dropped: 1 }); // the dropped SSE stream has ended: only the WebSocket is left
    expect(outage.until).toBeGreaterThan(Date.now());
    expect(mockBackend().faults.outage('sse', 'f1', Date.now())).toBe('503');
    expect(await api().fault({ action: 'clear' })).toEqual({ ok: true });
    expect(mockBackend().faults.outage('sse', 'f1', Date.now())).toBeNull();
  });

  it('400 with the parser’s reason for a bad body, 415 for a non-JSON one, 405 for another method', async () => {
    expect(await call('/api/faults', postJson({ action: 'outage', mode: 'down' }))).toMatchObject({
      status: 400,
      body: { error: 'mode must be "reset" or "503"; got "down"' },
    });
    expect(await call('/api/faults', postJson('{"action":'))).toMatchObject({ status: 400, body: { error: 'the body is not valid JSON' } });
    expect(await call('/api/faults', postJson({ action: 'drop', pad: 'x'.repeat(5000) }))).toMatchObject({
      status: 400,
      body: { error: 'the body must be at most 4096 bytes' },
    });
    expect(await call('/api/faults', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"action":"clear"}' })).toMatchObject({
      status: 415,
      body: { error: 'send the request as application/json; got "text/plain"' },
    });
    const get = await call('/api/faults');
    expect(get).toMatchObject({ status: 405, body: { error: 'GET is not allowed on /api/faults; use POST' } });
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('POST /api/auth', () => {
  it('sets and clears the token; changing an active one takes it (401 otherwise)', async () => {
    const page = api();
    expect(await page.setToken('s3cret')).toEqual({ ok: true, required: true });
    const refused = await call('/api/auth', postJson({ token: null }));
    expect(refused).toMatchObject({ status: 401, body: { error: expect.stringContaining('a token is set') as unknown } });
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await call('/api/info')).body).toMatchObject({ auth: { required: true } });
    expect(await page.setToken(null)).toEqual({ ok: true, required: false });
    expect(await call('/api/auth', postJson({ token: 'bad token' }))).toMatchObject({ status: 400 });
    expect(await call('/api/auth', { method: 'POST', body: '{"token":null}' })).toMatchObject({ status: 415 });
  });
});

describe('GET /api/runs', () => {
  it('a run’s records from `from` on, with next: null; 400 without a run or for a bad from', async () => {
    const first = openStream('log1', 'sse');
    const second = openStream('log1', 'ws');
    const all = await call('/api/runs?run=log1');
    expect(all).toMatchObject({ status: 200, body: { run: 'log1', next: null } });
    expect((all.body as { streams: { id: number }[] }).streams.map((s) => s.id)).toEqual([first.record.id, second.record.id]);
    expect((await api().runs('log1', second.record.id)).map((r) => r.id)).toEqual([second.record.id]);
    expect(await call('/api/runs')).toMatchObject({ status: 400, body: { error: expect.stringContaining('run is required') as unknown } });
    expect(await call('/api/runs?run=log1&from=-1')).toMatchObject({ status: 400 });
  });
});

describe('the two MSW workarounds', () => {
  it('POST /api/mock/client-closed stops those streams of the run as client-closed', async () => {
    const sse = openStream('c1', 'sse');
    const ws = openStream('c1', 'ws');
    await api().mock.clientClosed('c1', ['sse', 'fetch']);
    expect(sse.player.stop).toHaveBeenCalled();
    expect(sse.record).toMatchObject({ reason: 'client-closed' });
    expect(sse.record.stoppedAt).not.toBeNull();
    expect(ws.record.stoppedAt).toBeNull();
  });

  it('POST /api/mock/stop-run stops every stream of the run and forgets its resume position', async () => {
    const sse = openStream('s1', 'sse');
    const other = openStream('s2', 'sse');
    positions.set('sse|s1', 12);
    await api().mock.stopRun('s1');
    expect(sse.record.stoppedAt).not.toBeNull();
    expect(other.record.stoppedAt).toBeNull();
    expect(positions.has('sse|s1')).toBe(false);
    expect(await call('/api/mock/stop-run', postJson({}))).toMatchObject({ status: 400 });
    expect(await call('/api/mock/client-closed', postJson({ run: 's1', transports: ['tcp'] }))).toMatchObject({ status: 400 });
  });
});

describe('any other /api/*', () => {
  it('the live server’s JSON 404, 405 and 426', async () => {
    expect(await call('/api/nope')).toMatchObject({
      status: 404,
      type: expect.stringContaining('application/json') as unknown,
      body: { error: 'no endpoint /api/nope; see GET /api/info' },
    });
    expect(await call('/api/a/b?c=1')).toMatchObject({ status: 404, body: { error: 'no endpoint /api/a/b; see GET /api/info' } });
    expect(await call('/api/info', { method: 'PUT' })).toMatchObject({ status: 405, body: { error: 'PUT is not allowed on /api/info; use GET' } });
    expect(await call('/api/stream', { method: 'PUT' })).toMatchObject({
      status: 405,
      body: { error: 'PUT is not allowed on /api/stream; use POST with a JSON body (GET /api/sse is the EventSource endpoint)' },
    });
    expect(await call('/api/ws')).toMatchObject({ status: 426 });
  });

  it('GET /api/memory: 501, measured on the live server only', async () => {
    await expect(api().memory(200)).rejects.toMatchObject({ code: 'http', status: 501, message: expect.stringContaining('Live mode') as unknown });
  });
});
