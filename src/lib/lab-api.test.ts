import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLabApi, LabApiError, readError } from './lab-api.ts';
import type { StreamRecord } from '../protocol/stream-log.ts';

const json = (body: unknown, status = 200, statusText = '') =>
  new Response(JSON.stringify(body), { status, statusText, headers: { 'content-type': 'application/json' } });

/** A global fetch that answers from `answer` and records what it was asked. */
function stubFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = vi.fn((input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    return Promise.resolve(answer(String(input), init));
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

const header = (init: RequestInit, name: string) => new Headers(init.headers).get(name);

async function failure(promise: Promise<unknown>): Promise<LabApiError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof LabApiError)) throw new Error(`expected a LabApiError, got ${String(error)}`);
  return error;
}

const record = (id: number): StreamRecord =>
  ({ id, run: 'r1', transport: 'sse', openedAt: 1, stoppedAt: null, reason: null, lastSeq: 0, framesAfterStop: 0 }) as unknown as StreamRecord;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readError', () => {
  it('is the JSON {error}, else HTTP <status>', async () => {
    expect(await readError(json({ error: 'rate must be an integer' }, 400))).toBe('rate must be an integer');
    expect(await readError(new Response('<h1>Bad gateway</h1>', { status: 502 }))).toBe('HTTP 502');
    expect(await readError(json({ error: 42 }, 500))).toBe('HTTP 500');
    expect(await readError(json(['no'], 500))).toBe('HTTP 500');
  });
});

describe('errors', () => {
  it('a non-2xx: code http, the server’s reason as the message, status and statusText kept', async () => {
    stubFetch(() => json({ error: 'mode must be "reset" or "503"; got "down"' }, 400, 'Bad Request'));
    const error = await failure(createLabApi().fault({ action: 'drop', target: 'all' }));
    expect(error).toMatchObject({
      code: 'http',
      path: '/api/faults',
      status: 400,
      statusText: 'Bad Request',
      reason: 'mode must be "reset" or "503"; got "down"',
      message: 'mode must be "reset" or "503"; got "down"',
    });
  });

  it('a non-2xx without a JSON reason: HTTP <status>', async () => {
    stubFetch(() => new Response('<!doctype html>', { status: 501, headers: { 'content-type': 'text/html' } }));
    const error = await failure(createLabApi().memory(200));
    expect(error).toMatchObject({ code: 'http', status: 501, reason: null, message: 'HTTP 501', path: '/api/memory' });
  });

  it('no answer at all: code network, the browser’s reason, the endpoint without its query', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await failure(createLabApi().runs('r1', 3));
    expect(error).toMatchObject({ code: 'network', status: null, message: 'Failed to fetch', path: '/api/runs' });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('a 2xx that is not the endpoint’s answer: code answer', async () => {
    stubFetch(() => new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(await failure(createLabApi().info())).toMatchObject({ code: 'answer', status: 200, path: '/api/info' });
    stubFetch(() => json({ name: 'x', scenarios: [{ name: 'ticker' }] }));
    expect(await failure(createLabApi().info())).toMatchObject({ code: 'answer' });
    stubFetch(() => json({ run: 'r1' }));
    expect(await failure(createLabApi().runs('r1'))).toMatchObject({ code: 'answer' });
  });
});

describe('info', () => {
  it('GET /api/info as JSON, passing the abort signal', async () => {
    const calls = stubFetch(() => json({ name: 'sse-vs-websocket-lab', version: '1', scenarios: [{ name: 'ticker', params: [] }] }));
    const abort = new AbortController();
    const info = await createLabApi().info({ signal: abort.signal });
    expect(info.name).toBe('sse-vs-websocket-lab');
    expect(calls[0].url).toBe('/api/info');
    expect(header(calls[0].init, 'accept')).toBe('application/json');
    expect(calls[0].init.signal).toBe(abort.signal);
  });

  it('prefixes the origin, and awaits `ready` before the request', async () => {
    const calls = stubFetch(() => json({ name: 'n', scenarios: [] }));
    const order: string[] = [];
    const api = createLabApi({
      origin: 'http://127.0.0.1:4173',
      ready: async () => {
        order.push('ready');
      },
      fetch: (input, init) => {
        order.push('fetch');
        return fetch(input, init);
      },
    });
    await api.info();
    expect(order).toEqual(['ready', 'fetch']);
    expect(calls[0].url).toBe('http://127.0.0.1:4173/api/info');
  });
});

describe('runs', () => {
  it('follows `next` across pages and returns every record', async () => {
    const calls = stubFetch((url) => {
      const from = Number(new URL(url, 'http://x').searchParams.get('from') ?? 0);
      if (from === 0) return json({ run: 'r 1', streams: [record(1), record(2)], next: 3 });
      if (from === 3) return json({ run: 'r 1', streams: [record(3)], next: 4 });
      return json({ run: 'r 1', streams: [record(4)], next: null });
    });
    const records = await createLabApi().runs('r 1');
    expect(records.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(calls.map((c) => c.url)).toEqual(['/api/runs?run=r%201', '/api/runs?run=r%201&from=3', '/api/runs?run=r%201&from=4']);
    expect(calls[0].init.cache).toBe('no-store');
  });

  it('starts at `from`, and stops on a `next` that does not move forward', async () => {
    const calls = stubFetch(() => json({ run: 'r1', streams: [record(5)], next: 5 }));
    expect((await createLabApi().runs('r1', 5)).map((r) => r.id)).toEqual([5]);
    expect(calls.map((c) => c.url)).toEqual(['/api/runs?run=r1&from=5']);
  });

  it('stops after 50 pages', async () => {
    let n = 0;
    const calls = stubFetch(() => json({ run: 'r1', streams: [record(++n)], next: n + 1 }));
    expect(await createLabApi().runs('r1')).toHaveLength(50);
    expect(calls).toHaveLength(50);
  });
});

describe('fault', () => {
  it('POSTs the fault as JSON and reads dropped / until', async () => {
    const calls = stubFetch(() => json({ ok: true, dropped: 3, until: 99 }));
    expect(await createLabApi().fault({ action: 'outage', mode: '503', ms: 3000, target: 'all', run: 'r1' })).toEqual({
      ok: true,
      dropped: 3,
      until: 99,
    });
    expect(calls[0].url).toBe('/api/faults');
    expect(calls[0].init.method).toBe('POST');
    expect(header(calls[0].init, 'content-type')).toBe('application/json');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ action: 'outage', mode: '503', ms: 3000, target: 'all', run: 'r1' });
    stubFetch(() => json({ ok: true }));
    expect(await createLabApi().fault({ action: 'clear' })).toEqual({ ok: true });
  });
});

describe('setToken', () => {
  it('proves with the token it set itself, else with `current`, and forgets it only once the server agrees', async () => {
    let serverToken: string | null = null;
    const calls = stubFetch((_url, init) => {
      const proof = header(init, 'authorization');
      if (serverToken !== null && proof !== `Bearer ${serverToken}`) return json({ error: 'a token is set' }, 401);
      serverToken = (JSON.parse(String(init.body)) as { token: string | null }).token;
      return json({ ok: true, required: serverToken !== null });
    });
    const api = createLabApi();
    expect(await api.setToken('s3cret')).toEqual({ ok: true, required: true });
    expect(header(calls[0].init, 'authorization')).toBeNull();
    // Changing it takes the one this client set, whatever `current` says.
    expect(await api.setToken('other', 'wrong')).toEqual({ ok: true, required: true });
    expect(header(calls[1].init, 'authorization')).toBe('Bearer s3cret');
    expect(await api.setToken(null)).toEqual({ ok: true, required: false });
    expect(header(calls[2].init, 'authorization')).toBe('Bearer other');

    // A token someone else set (LAB_TOKEN): a fresh client must be told it.
    serverToken = 'started-with';
    const fresh = createLabApi();
    expect(await failure(fresh.setToken(null))).toMatchObject({ code: 'http', status: 401, message: 'a token is set' });
    expect(await fresh.setToken(null, 'started-with')).toEqual({ ok: true, required: false });
    expect(header(calls[4].init, 'authorization')).toBe('Bearer started-with');
  });
});

describe('memory', () => {
  it('GET /api/memory?n= and the figures', async () => {
    const figure = { bytesPerConnection: 1000, rssPerConnection: 2000 };
    const calls = stubFetch(() => json({ connections: 200, sse: figure, ws: figure }));
    expect(await createLabApi().memory(200)).toEqual({ connections: 200, sse: figure, ws: figure });
    expect(calls[0].url).toBe('/api/memory?n=200');
    stubFetch(() => json({ error: 'a memory measurement is already running; try again in a few seconds' }, 409));
    expect(await failure(createLabApi().memory(200))).toMatchObject({ code: 'http', status: 409, message: /already running/ });
  });

  it('a 429 (one probe per cooldown) waits its Retry-After once, then asks again', async () => {
    const figure = { bytesPerConnection: 1000, rssPerConnection: null };
    let n = 0;
    const calls = stubFetch(() =>
      ++n === 1
        ? new Response(JSON.stringify({ error: 'one memory measurement per 5000 ms' }), {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '0' },
          })
        : json({ connections: 10, sse: figure, ws: figure }),
    );
    expect(await createLabApi().memory(10)).toEqual({ connections: 10, sse: figure, ws: figure });
    expect(calls).toHaveLength(2);
  });
});

describe('chat', () => {
  it('POST /api/chat and the counts it answers', async () => {
    const calls = stubFetch(() => json({ delivered: 1, requestBytes: 321, connection: 7 }, 202));
    const message = { type: 'chat' as const, id: 'm1', t: 1, text: 'hi', run: 'r1', transport: 'sse' as const };
    expect(await createLabApi().chat(message)).toEqual({ delivered: 1, requestBytes: 321, connection: 7 });
    expect(calls[0].url).toBe('/api/chat');
    expect(JSON.parse(String(calls[0].init.body))).toEqual(message);
  });
});

describe('mock workarounds', () => {
  it('POST /api/mock/stop-run and /api/mock/client-closed, sent at once, never through `ready`', async () => {
    const calls = stubFetch(() => json({ ok: true, stopped: 2 }));
    const ready = vi.fn(() => Promise.resolve());
    const api = createLabApi({ ready });
    const stopped = api.mock.stopRun('r1');
    const closed = api.mock.clientClosed('r1', ['sse', 'fetch']);
    // Already on their way: a mode switch right after cannot stop the mock before they leave.
    expect(calls.map((c) => c.url)).toEqual(['/api/mock/stop-run', '/api/mock/client-closed']);
    await Promise.all([stopped, closed]);
    expect(ready).not.toHaveBeenCalled();
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ run: 'r1' });
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ run: 'r1', transports: ['sse', 'fetch'] });
  });

  it('the live server’s JSON 404/405 for them is an http error', async () => {
    stubFetch(() => json({ error: 'POST is not allowed on /api/mock/stop-run; use GET' }, 405));
    expect(await failure(createLabApi().mock.stopRun('r1'))).toMatchObject({ code: 'http', status: 405 });
  });
});
