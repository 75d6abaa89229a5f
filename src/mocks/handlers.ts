/**
 * Mock mode: MSW answers the lab's `/api/*` inside the browser with the same backend core as the live
 * server (src/backend/), so both modes answer every request the same way; they differ by the network
 * (a service worker and MSW's WebSocket mock instead of node:http and `ws`). The contract suite
 * (src/contract/) runs one table of requests against both.
 *
 *   control-handlers.ts  info, stats, runs, memory, faults, auth, chat, the two MSW workarounds, and
 *                        the JSON 404 / 405 / 426 for any other /api/*
 *   stream-handlers.ts   GET /api/sse, POST /api/stream, GET /api/poll
 *   provider-handlers.ts POST /v1/chat/completions, /v1/responses, /v1/messages (the SDKs' paths)
 *   mcp-handlers.ts      /mcp (Streamable HTTP), GET /sse + POST /sse/messages (HTTP+SSE)
 *   ws-handler.ts        the WebSocket
 *   mock-state.ts        the backend instance and what MSW in Chromium forces the mock to remember
 */
import type { RequestHandler, WebSocketHandler } from 'msw';
import { apiFallback, controlHandlers } from './control-handlers.ts';
import { mcpHandlers } from './mcp-handlers.ts';
import { providerHandlers } from './provider-handlers.ts';
import { streamHandlers } from './stream-handlers.ts';
import { wsHandler } from './ws-handler.ts';

/** Every handler, in order; `origin` is the page's (the WebSocket URL is absolute). */
export function createHandlers(origin: string): (RequestHandler | WebSocketHandler)[] {
  return [...controlHandlers(), ...streamHandlers(), ...providerHandlers(), ...mcpHandlers(), wsHandler(origin), apiFallback()];
}
