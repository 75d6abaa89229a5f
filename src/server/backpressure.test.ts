/**
 * Backpressure on the live server (issue 13): a client that stops reading fills the TCP buffers, then
 * the server's own; the stream's player pauses until the connection drains, and the run log says for
 * how long and how much the server held. A paused frame stream stays under MAX_REPLY_BACKLOG_BYTES:
 * the player stops at the WebSocket high-water mark (1 MiB) long before the 4 MiB that closes a
 * client with 1008, so a slow reader is slowed down, not thrown out.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REPLY_BACKLOG_BYTES } from '../protocol/limits.ts';
import type { StreamRecord } from '../protocol/stream-log.ts';
import { runCleanups, startLab, onCleanup, type Lab } from './test-support.ts';

afterEach(runCleanups);

/** Sends a raw request head and resolves once the answer's head is in; the socket is then the test's. */
function rawStream(lab: Lab, head: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(lab.http).port), '127.0.0.1');
    onCleanup(() => void socket.destroy());
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (/^HTTP\/1\.1 (101|200)/.test(seen)) resolve(socket);
      else reject(new Error(seen.split('\r\n')[0]));
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(head);
  });
}

async function record(lab: Lab, run: string): Promise<StreamRecord> {
  const body = (await (await fetch(`${lab.http}/api/runs?run=${run}`)).json()) as { streams: StreamRecord[] };
  const [only] = body.streams;
  if (!only) throw new Error(`no stream logged for run ${run}`);
  return only;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('backpressure in the run log', () => {
  it('a WebSocket client that stops reading pauses the sender at the high-water mark, below the 1008 limit, and it goes on once read', { timeout: 40_000 }, async () => {
    const lab = await startLab();
    const socket = await rawStream(
      lab,
      'GET /api/ws?scenario=ticker&rate=200&size=65536&run=bp-ws&client=websocket-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    socket.pause();
    let paused: StreamRecord | null = null;
    await until('the sender pauses', async () => {
      paused = await record(lab, 'bp-ws');
      return paused.backpressure.pausedSince !== null;
    });
    const first = paused as unknown as StreamRecord;
    expect(first.client).toBe('websocket-stream');
    expect(first.stoppedAt).toBeNull();
    // It paused because `ws` held the high-water mark (1 MiB), not the 4 MiB that would close the client.
    expect(first.backpressure.maxBufferedBytes).toBeGreaterThanOrEqual(1 << 20);
    expect(first.backpressure.maxBufferedBytes).toBeLessThan(MAX_REPLY_BACKLOG_BYTES);
    // The client reads again: the sender resumes, the pause is counted, frames flow.
    socket.on('data', () => undefined);
    socket.resume();
    await until('the pause is counted and more frames are written', async () => {
      const now = await record(lab, 'bp-ws');
      return now.backpressure.pausedMs > 0 && now.lastSeq > first.lastSeq;
    });
    const later = await record(lab, 'bp-ws');
    expect(later.stoppedAt).toBeNull();
    expect(later.backpressure.pauses).toBeGreaterThanOrEqual(1);
  });

  it('an EventSource request that stops reading pauses its SSE sender too; the log names no client', { timeout: 40_000 }, async () => {
    const lab = await startLab();
    const socket = await rawStream(
      lab,
      'GET /api/sse?scenario=ticker&rate=200&size=65536&run=bp-sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n',
    );
    socket.pause();
    await until('the SSE sender has paused for 300 ms', async () => {
      const r = await record(lab, 'bp-sse');
      return r.backpressure.pausedSince !== null && performance.timeOrigin + performance.now() - r.backpressure.pausedSince > 300;
    });
    const r = await record(lab, 'bp-sse');
    expect(r.client).toBeNull();
    expect(r.backpressure.maxBufferedBytes).toBeGreaterThan(0);
    expect(r.stoppedAt).toBeNull();
  });
});
