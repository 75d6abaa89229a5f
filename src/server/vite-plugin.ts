/**
 * Mounts the live endpoints in Vite's dev and preview servers.
 *
 * In preview, middleware added in the function *returned* from configurePreviewServer sits behind
 * preview's compression and SSE stops arriving; so both hooks register in their body.
 */
import type { Server as HttpServer } from 'node:http';
import type { Connect, Plugin } from 'vite';
import { createLabServer, type LabServerOptions } from './lab-server.ts';
import { parseAllowedOrigins } from './origin-policy.ts';
import { maxRateSpec, parseParam } from '../protocol/scenarios.ts';

function mount(
  middlewares: Connect.Server,
  httpServer: HttpServer | null | undefined,
  options: LabServerOptions,
): void {
  const lab = createLabServer(options);
  middlewares.use((req, res, next) => {
    if (!lab.handleRequest(req, res)) next();
  });
  httpServer?.on('upgrade', (req, socket, head) => {
    // Any other path (Vite's HMR socket included) is left to its own listener.
    lab.handleUpgrade(req, socket, head);
  });
  httpServer?.on('close', () => lab.close());
}

export function labServerPlugin(options: LabServerOptions = {}): Plugin {
  // LAB_TOKEN makes POST /api/stream require `Authorization: Bearer <token>` from the start.
  if (options.token === undefined && process.env.LAB_TOKEN) options = { ...options, token: process.env.LAB_TOKEN };
  // LAB_ALLOWED_ORIGINS: more origins (comma-separated) that may open a WebSocket.
  if (options.allowedOrigins === undefined && process.env.LAB_ALLOWED_ORIGINS) {
    options = { ...options, allowedOrigins: parseAllowedOrigins(process.env.LAB_ALLOWED_ORIGINS) };
  }
  // LAB_MAX_RATE: the highest rate (msg/s) a ticker or binary stream may ask for (default 20000). A bad
  // value stops the server at start with the accepted range rather than serving with a surprise cap.
  if (options.maxRate === undefined && process.env.LAB_MAX_RATE) {
    const maxRate = parseParam(maxRateSpec, process.env.LAB_MAX_RATE);
    if (!maxRate.ok) throw new RangeError(maxRate.error);
    options = { ...options, maxRate: maxRate.value };
  }
  return {
    name: 'sse-vs-websocket-lab:live-endpoints',
    configureServer(server) {
      mount(server.middlewares, server.httpServer as HttpServer | null, options);
    },
    configurePreviewServer(server) {
      mount(server.middlewares, server.httpServer as HttpServer, options);
    },
  };
}
