/**
 * The mock's MCP adapter, loaded the first time the page calls an MCP path (mcp-handlers.ts): the
 * backend decides (src/backend/mcp.ts), this turns the answer into a Response. An SSE answer is a
 * ReadableStream the core writes into; a drop errors it once the reader has taken what came before
 * (what fetch sees when a socket dies); a reader that cancels, or a request whose signal aborts, is
 * a client that went away.
 *
 * One MCP core per mock backend: resetMock() (a fresh backend) gives a fresh one too.
 */
import type { Backend } from '../backend/backend.ts';
import { createMcp, type Mcp, type McpAnswer } from '../backend/mcp.ts';
import type { SseConnection } from '../backend/mcp-stream.ts';
import { MAX_MCP_BODY_BYTES } from '../protocol/limits.ts';
import { readJsonBody } from './mock-http.ts';
import { mockBackend } from './mock-state.ts';

let current: { backend: Backend; mcp: Mcp } | null = null;

function mockMcp(): Mcp {
  const backend = mockBackend();
  if (current?.backend !== backend) {
    current?.mcp.close();
    const { version, retryMs, heartbeatMs, timers } = backend;
    current = { backend, mcp: createMcp({ version, retryMs, heartbeatMs, timers }) };
  }
  return current.mcp;
}

function streamResponse(answer: Extract<McpAnswer, { kind: 'stream' }>, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let connection: SseConnection | null = null;
  let open = true;
  let cutPending = false;
  let settle: (error: boolean) => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      settle = (error) => {
        if (!open) return;
        open = false;
        if (!error) {
          controller.close();
          return;
        }
        // A turn later: MSW passes a mocked body on through streams of its own, and an error
        // discards whatever they still hold, so the message written last would go with it.
        setTimeout(() => {
          try {
            controller.error(new TypeError('network error (simulated drop)'));
          } catch {
            // Already cancelled by the reader.
          }
        }, 0);
      };
      connection = answer.open({
        write(text, flushed) {
          if (!open) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            // The reader is gone (a mocked EventSource closed by the page is never signalled otherwise).
            open = false;
            connection?.closed();
            return;
          }
          flushed?.();
        },
        end: () => settle(false),
        // An error discards what the reader has not taken yet: wait until it has (pull, below).
        cut() {
          if ((controller.desiredSize ?? 0) > 0) settle(true);
          else cutPending = true;
        },
      });
      // The client aborted (MSW in Node passes the fetch's signal on; a service worker's never aborts).
      signal.addEventListener('abort', () => {
        open = false;
        connection?.closed();
      });
    },
    // The queue is empty: everything written before a drop has been read.
    pull() {
      if (cutPending) settle(true);
    },
    cancel() {
      open = false;
      connection?.closed();
    },
  });
  return new Response(body, { status: 200, headers: answer.headers });
}

function toResponse(answer: McpAnswer, signal: AbortSignal): Response {
  switch (answer.kind) {
    case 'json':
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...answer.headers },
      });
    case 'empty':
      return new Response(null, { status: answer.status, headers: { 'Cache-Control': 'no-store', ...answer.headers } });
    case 'stream':
      return streamResponse(answer, signal);
  }
}

/** Answers a request to an MCP path. */
export async function answerMcp(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const answer = await mockMcp().handle(url.pathname, {
    method: request.method,
    header: (name) => request.headers.get(name) ?? undefined,
    query: url.searchParams,
    host: url.host,
    readBody: () => readJsonBody(request, MAX_MCP_BODY_BYTES),
  });
  return toResponse(answer, request.signal);
}

