/**
 * One fetch-read SSE connection as a queue the MCP demo can await: `next()` resolves with the next
 * event, or with `null` once the body ended (cleanly or cut — `cut` says which). Parsing is the lab's
 * own WHATWG reader, so the last event ID and `retry:` are what a browser would keep.
 */
import type { SseEvent } from '../../protocol/sse-parser.ts';
import { createSseStreamReader } from '../../transports/sse-stream-reader.ts';

export interface SseConnection {
  next(timeoutMs: number): Promise<SseEvent | null | 'timeout'>;
  /** The body failed mid-stream (a cut), as opposed to ending. */
  readonly cut: boolean;
  readonly lastEventId: string;
  /** The server's `retry:`, if it sent one. */
  readonly retryMs: number | null;
  close(): void;
}

export function openSseConnection(body: ReadableStream<Uint8Array>, abort: () => void): SseConnection {
  const queue: (SseEvent | null)[] = [];
  let waiting: ((event: SseEvent | null) => void) | null = null;
  let cut = false;
  let retryMs: number | null = null;
  const deliver = (event: SseEvent | null) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(event);
    } else queue.push(event);
  };
  const reader = createSseStreamReader({
    onEvent: deliver,
    onRetry: (ms) => {
      retryMs = ms;
    },
  });
  const bytes = body.getReader();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await bytes.read();
        if (done) break;
        reader.push(value);
      }
      reader.end();
    } catch {
      cut = true;
    }
    deliver(null);
  })();
  return {
    next(timeoutMs) {
      if (queue.length > 0) return Promise.resolve(queue.shift() ?? null);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting = null;
          resolve('timeout');
        }, timeoutMs);
        waiting = (event) => {
          clearTimeout(timer);
          resolve(event);
        };
      });
    },
    get cut() {
      return cut;
    },
    get lastEventId() {
      return reader.lastEventId;
    },
    get retryMs() {
      return retryMs;
    },
    close() {
      abort();
    },
  };
}
