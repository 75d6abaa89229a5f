/**
 * The mock's POST /v1/chat/completions, /v1/responses and /v1/messages: the backend decides
 * (src/backend/provider.ts), this turns the decision into a Response; a stream is a ReadableStream
 * the backend's player writes into, and a drop errors its body (what fetch sees when a socket dies).
 */
import { http, type RequestHandler } from 'msw';
import { decideProvider, playProvider, PROVIDER_SSE_HEADERS, routeProvider, type ProviderAnswer, type ProviderCall } from '../backend/provider.ts';
import { MAX_STREAM_BODY_BYTES } from '../protocol/limits.ts';
import type { Player } from '../protocol/player.ts';
import { readJsonBody } from './mock-http.ts';
import { MOCK_ADDRESS, mockBackend, openMockStream } from './mock-state.ts';

function toResponse(reply: ProviderAnswer): Response {
  switch (reply.kind) {
    case 'reset':
      return Response.error();
    case 'plain':
      return new Response(reply.status === 204 ? null : reply.text, { status: reply.status, headers: reply.headers });
    case 'json':
      return new Response(JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...reply.headers },
      });
    case 'stream':
      return streamResponse(reply.call);
  }
}

function streamResponse(call: ProviderCall): Response {
  const backend = mockBackend();
  const encoder = new TextEncoder();
  let player: Player | null = null;
  let ended: (() => void) | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const settle = (error: boolean) => {
        if (!open) return;
        open = false;
        try {
          if (error) controller.error(new TypeError('network error (simulated drop)'));
          else controller.close();
        } catch {
          // Already cancelled by the client.
        }
      };
      const served = openMockStream({
        transport: 'fetch',
        run: call.request.run,
        after: 0,
        address: MOCK_ADDRESS,
        options: call.request.options,
        connection: { stop: () => player?.stop(), cut: () => settle(true), close: () => settle(false) },
      });
      ended = () => served.end();
      player = playProvider(backend, call, served, {
        write(text) {
          if (served.ended) backend.counters.writesAfterClose++;
          else if (open) controller.enqueue(encoder.encode(text));
          return true;
        },
        end() {
          served.end('complete');
          settle(false);
        },
      });
      served.armFlaky();
    },
    cancel() {
      ended?.();
    },
  });
  return new Response(body, { status: 200, headers: PROVIDER_SSE_HEADERS });
}

export function providerHandlers(): RequestHandler[] {
  return [
    http.all('/v1/*', async ({ request }) => {
      const route = routeProvider(request.method, new URL(request.url).pathname);
      if (!route.ok) return toResponse(route.answer);
      const body = await readJsonBody(request, MAX_STREAM_BODY_BYTES);
      return toResponse(
        decideProvider(mockBackend(), route.api, {
          header: (name) => request.headers.get(name) ?? undefined,
          body,
          address: MOCK_ADDRESS,
        }),
      );
    }),
  ];
}
