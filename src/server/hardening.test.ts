/**
 * Issue 10's findings, one test each, against the real lab server over raw sockets, `ws` and fetch:
 * each hostile request gets a refusal with a reason (a 4xx/503 JSON `{error}` or a close code), and
 * the server still answers GET /api/info afterwards. The guard in front of Vite (targets Vite itself
 * cannot parse, Host checks, upgrades nobody serves) is tested in http-guard.test.ts.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_FAULTS,
  MAX_JSON_DEPTH,
  MAX_POLL_ANSWER_BYTES,
  MAX_RUN_LOG_ANSWER_BYTES,
} from '../protocol/limits.ts';
import { errorOf, postFault, runCleanups, SseStream, startLab, WsClient, wsAttempt, type Lab } from './test-support.ts';

afterEach(runCleanups);

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

function portOf(lab: Lab): number {
  return Number(new URL(lab.http).port);
}

/** Writes `text` on a fresh TCP connection and collects what comes back until the server closes it. */
function raw(lab: Lab, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(lab), '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(text);
    setTimeout(() => socket.end(), 3_000).unref();
  });
}

async function stillServes(lab: Lab): Promise<void> {
  const res = await fetch(`${lab.http}/api/info`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { name: string }).name).toBe('sse-vs-websocket-lab');
}

async function answer(res: Response): Promise<{ status: number; error: string }> {
  return { status: res.status, error: errorOf(await res.json()) };
}

function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('one request must not kill the server', () => {
  it('an upgrade whose target is not a URL (http://[/api/ws) → 400', async () => {
    const lab = await startLab();
    const text = await raw(
      lab,
      'GET http://[/api/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('the request target is not a valid URL');
    await stillServes(lab);
  });

  it('a request whose target is not a URL → 400', async () => {
    const lab = await startLab();
    const text = await raw(lab, 'GET http://[/api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes(lab);
  });

  it('POST /api/stream with JSON nested 6,000 deep (10 KB) → 400 naming MAX_JSON_DEPTH', async () => {
    const lab = await startLab();
    const body = `{"scenario":"ticker","params":${deep(6000)}}`;
    expect(body.length).toBeLessThan(16 * 1024);
    const res = await answer(await postJson(`${lab.http}/api/stream`, body));
    expect(res.status).toBe(400);
    expect(res.error).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    // Each control endpoint reads its body the same way.
    for (const path of ['/api/faults', '/api/chat', '/api/auth']) {
      expect((await postJson(`${lab.http}${path}`, `{"run":${deep(3000)}}`)).status).toBe(400);
    }
    await stillServes(lab);
  });

  it('a WebSocket message {"type": <6,000-deep array>} → an error message, and the socket still works', async () => {
    const lab = await startLab();
    const client = await WsClient.open(`${lab.ws}/api/ws?scenario=ticker&rate=1&count=0`);
    client.socket.send(`{"type":${deep(3000)}}`);
    await client.until((c) => c.messages.some((m) => m.type === 'error'), 'an error');
    const error = client.messages.find((m) => m.type === 'error');
    expect(error).toMatchObject({ error: expect.stringContaining('deeper than') as unknown });
    client.socket.send(JSON.stringify({ type: 'ping', t: 1 }));
    await client.until((c) => c.messages.some((m) => m.type === 'pong'), 'a pong');
    await stillServes(lab);
  });

  it('an error text never repeats a 50 KB value: it is cut to a few dozen characters', async () => {
    const lab = await startLab();
    const client = await WsClient.open(`${lab.ws}/api/ws?scenario=ticker&rate=1&count=0`);
    client.socket.send(JSON.stringify({ type: 'x'.repeat(5_000) }));
    await client.until((c) => c.messages.some((m) => m.type === 'error'), 'an error');
    const error = client.messages.find((m) => m.type === 'error') as { error: string };
    expect(error.error.length).toBeLessThan(250);
    expect(error.error).toContain('(5000 characters)');
    const res = await answer(await fetch(`${lab.http}/api/sse?scenario=${'y'.repeat(6_000)}`));
    expect(res.status).toBe(400);
    expect(res.error.length).toBeLessThan(250);
  });
});

describe('memory stays bounded', () => {
  it(`a WebSocket message over MAX_CLIENT_MESSAGE_BYTES (${MAX_CLIENT_MESSAGE_BYTES}) closes the socket with 1009`, async () => {
    const lab = await startLab();
    const client = await WsClient.open(`${lab.ws}/api/ws?scenario=ticker&rate=1&count=0`);
    client.socket.send(JSON.stringify({ type: 'x'.repeat(50_000) }));
    const closed = await client.closed;
    expect(closed.code).toBe(1009);
    await stillServes(lab);
  });

  // Its pace is the machine's (a few seconds to fill the kernel's buffers and MAX_REPLY_BACKLOG_BYTES).
  it('a client that floods messages and never reads is closed (1008), not buffered', { timeout: 30_000 }, async () => {
    const lab = await startLab();
    const socket = await rawWebSocket(lab, '/api/ws?scenario=ticker&rate=1&count=0');
    // Never read again: the pongs pile up on the server until it gives up on this client.
    socket.pause();
    // Each gets an error answer of about 200 bytes (the type quoted back, cut to MAX_ECHO_CHARS).
    const ping = maskedText(JSON.stringify({ type: 'x'.repeat(200) }));
    let gone = false;
    socket.on('error', () => (gone = true));
    socket.on('close', () => (gone = true));
    const deadline = Date.now() + 25_000;
    while (!gone && lab.lab.stats().limited === 0 && Date.now() < deadline) {
      if (!socket.write(ping)) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(lab.lab.stats().limited).toBe(1);
    await expect.poll(() => lab.lab.stats().open.ws, { timeout: 5_000 }).toBe(0);
    socket.destroy();
    await stillServes(lab);
  });

  it('polling sessions are capped: one more gets 503 with the limit named, and Retry-After', async () => {
    const lab = await startLab({ maxPollSessions: 3 });
    for (let i = 0; i < 3; i++) expect((await fetch(`${lab.http}/api/poll?scenario=ticker&rate=10&run=p${i}`)).status).toBe(200);
    const refused = await fetch(`${lab.http}/api/poll?scenario=ticker&rate=10&run=p3`);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(await answer(refused)).toEqual({ status: 503, error: expect.stringContaining('MAX_POLL_SESSIONS') as unknown });
    // A session that exists keeps being served.
    expect((await fetch(`${lab.http}/api/poll?scenario=ticker&rate=10&run=p0`)).status).toBe(200);
    await stillServes(lab);
  });

  it(`one poll answer carries at most MAX_POLL_ANSWER_BYTES (${MAX_POLL_ANSWER_BYTES})`, async () => {
    const lab = await startLab();
    const url = `${lab.http}/api/poll?scenario=ticker&rate=2000&size=65536&run=big`;
    await fetch(url);
    let largest = 0;
    for (let i = 0; i < 20 && largest < MAX_POLL_ANSWER_BYTES / 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const text = await (await fetch(`${url}&after=0`)).text();
      largest = Math.max(largest, text.length);
    }
    expect(largest).toBeGreaterThan(MAX_POLL_ANSWER_BYTES / 2);
    expect(largest).toBeLessThanOrEqual(MAX_POLL_ANSWER_BYTES + 4_096);
  });

  it(`fault lists are capped at MAX_FAULTS (${MAX_FAULTS}): the oldest armed error goes first`, async () => {
    const lab = await startLab();
    for (let i = 0; i <= MAX_FAULTS; i++) {
      expect((await postFault(lab.http, { action: 'http-error', status: 500, run: `f${i}` })).status).toBe(200);
    }
    // f0's error was pushed out; f1's is still armed.
    expect((await fetch(`${lab.http}/api/sse?scenario=ticker&count=1&run=f0`)).status).toBe(200);
    expect((await fetch(`${lab.http}/api/sse?scenario=ticker&count=1&run=f1`)).status).toBe(500);
    await stillServes(lab);
  });

  it(`GET /api/runs answers at most MAX_RUN_LOG_ANSWER_BYTES (${MAX_RUN_LOG_ANSWER_BYTES}); next leads to the rest`, async () => {
    const lab = await startLab();
    const big = { 'X-Padding': 'x'.repeat(12_000) };
    const streams = 120;
    for (let i = 0; i < streams; i++) {
      const stream = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&count=1&rate=1000&run=big-log`, big);
      await stream.finished;
    }
    let from = 0;
    let records = 0;
    let pages = 0;
    for (;;) {
      const res = await fetch(`${lab.http}/api/runs?run=big-log&from=${from}`);
      const text = await res.text();
      expect(text.length).toBeLessThanOrEqual(MAX_RUN_LOG_ANSWER_BYTES + 1_024);
      const body = JSON.parse(text) as { streams: unknown[]; next: number | null };
      records += body.streams.length;
      pages++;
      if (body.next === null) break;
      from = body.next;
    }
    expect(pages).toBeGreaterThan(1);
    expect(records).toBe(streams);
  });
});

describe('limits on open streams', () => {
  it('one address past maxStreamsPerAddress gets 503 (SSE) and a 503 upgrade (WebSocket) with the limit named', async () => {
    const lab = await startLab({ maxStreamsPerAddress: 2 });
    await SseStream.open(`${lab.http}/api/sse?scenario=ticker&rate=1&count=0`);
    await WsClient.open(`${lab.ws}/api/ws?scenario=ticker&rate=1&count=0`);
    const sse = await fetch(`${lab.http}/api/sse?scenario=ticker&rate=1&count=0`);
    expect(await answer(sse)).toEqual({ status: 503, error: expect.stringContaining('MAX_STREAMS_PER_ADDRESS') as unknown });
    const ws = await wsAttempt(`${lab.ws}/api/ws?scenario=ticker&rate=1&count=0`);
    expect(ws).toMatchObject({ kind: 'refused', status: 503, body: expect.stringContaining('MAX_STREAMS_PER_ADDRESS') as unknown });
    await stillServes(lab);
  });

  it('past maxStreamsTotal every client gets 503; a closed stream frees its place', async () => {
    const lab = await startLab({ maxStreamsTotal: 1 });
    const first = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&rate=1&count=0`);
    expect(await answer(await fetch(`${lab.http}/api/sse?scenario=ticker&rate=1&count=0`))).toEqual({
      status: 503,
      error: expect.stringContaining('MAX_STREAMS_TOTAL') as unknown,
    });
    first.abort();
    await expect.poll(() => lab.lab.stats().open.sse).toBe(0);
    expect((await WsClient.open(`${lab.ws}/api/ws?scenario=ticker&rate=1&count=1`)).socket.readyState).toBe(1);
  });
});

describe('control endpoints answer only the lab’s own page', () => {
  it.each(['/api/faults', '/api/auth', '/api/chat'])('%s refuses a text/plain body (what a cross-site form can send) with 415', async (path) => {
    const lab = await startLab();
    const res = await fetch(`${lab.http}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"action":"outage","mode":"reset","ms":60000}',
    });
    expect(await answer(res)).toEqual({ status: 415, error: expect.stringContaining('application/json') as unknown });
    await stillServes(lab);
  });

  it('application/jsonp is not JSON', async () => {
    const lab = await startLab();
    const res = await postJson(`${lab.http}/api/stream`, '{"scenario":"ticker"}', { 'Content-Type': 'application/jsonp' });
    expect(res.status).toBe(415);
  });

  it.each([
    ['another origin', { Origin: 'http://evil.example' }],
    ['a cross-site fetch without Origin', { 'Sec-Fetch-Site': 'cross-site' }],
  ])('a fault posted from %s is refused (403) and not applied', async (_label, headers) => {
    const lab = await startLab();
    const res = await postJson(`${lab.http}/api/faults`, '{"action":"outage","mode":"503","ms":60000}', headers);
    expect(await answer(res)).toEqual({ status: 403, error: expect.stringContaining("lab's own page") as unknown });
    expect((await fetch(`${lab.http}/api/sse?scenario=ticker&count=1`)).status).toBe(200);
    expect(lab.lab.stats().forbiddenControl).toBe(1);
    // The lab's own page may.
    const own = await postJson(`${lab.http}/api/faults`, '{"action":"clear"}', { Origin: lab.http, 'Sec-Fetch-Site': 'same-origin' });
    expect(own.status).toBe(200);
  });

  it('GET /api/memory from another origin is refused (403): it pauses the server', async () => {
    const lab = await startLab();
    const res = await fetch(`${lab.http}/api/memory?n=10`, { headers: { Origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    await stillServes(lab);
  });
});

describe('odd parameters', () => {
  it('after=9007199254740991 → 400 (it would repeat one id forever); MAX_RESUME_SEQ is accepted', async () => {
    const lab = await startLab();
    const res = await answer(await fetch(`${lab.http}/api/sse?scenario=ticker&after=9007199254740991`));
    expect(res).toEqual({ status: 400, error: expect.stringContaining('MAX_RESUME_SEQ') as unknown });
    const ws = await wsAttempt(`${lab.ws}/api/ws?scenario=ticker&after=9007199254740991`);
    expect(ws).toMatchObject({ kind: 'refused', status: 400 });
    const ok = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&rate=1000&count=0&after=1000000000000000`);
    await ok.until((s) => s.events.some((e) => e.type === 'message' || e.type === 'frame' || e.data.includes('"seq"')), 'a frame');
    expect(ok.events.find((e) => e.data.includes('"seq"'))?.data).toContain('"seq":1000000000000001');
  });

  it.each(['/api/sse?scenario=ticker&run=', '/api/sse?scenario=ticker&run=a%20b', `/api/poll?scenario=ticker&run=${'r'.repeat(65)}`, '/api/runs?run=..%2F'])(
    '%s → 400: run must match its documented pattern',
    async (path) => {
      const lab = await startLab();
      const res = await answer(await fetch(`${lab.http}${path}`));
      expect(res.status).toBe(400);
      expect(res.error).toMatch(/run/);
    },
  );
});

/** A WebSocket opened by hand on a raw socket (the handshake read, nothing after). */
function rawWebSocket(lab: Lab, path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(lab), '127.0.0.1');
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) reject(new Error(head.split('\r\n')[0]));
      else resolve(socket);
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}

/** One masked text frame (mask key 0: the payload goes as it is). */
function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, 0x80 | length])
      : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}
