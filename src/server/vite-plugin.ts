/**
 * Mounts the live endpoints in Vite's dev and preview servers.
 *
 * In preview, middleware added in the function *returned* from configurePreviewServer sits behind
 * preview's compression and SSE stops arriving; so both hooks register in their body.
 *
 * One request must never end the process: the server gets an http guard (http-guard.ts: request
 * target, Host, upgrades nobody answers, listeners that throw), connect's last handler answers errors
 * without a stack, and a process-level last resort logs what still escapes and keeps serving.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { posix } from 'node:path';
import type { Connect, HttpServer as ViteHttpServer, Logger, Plugin, ProxyOptions, ResolvedConfig } from 'vite';
import { createLabServer, type LabServerOptions } from './lab-server.ts';
import { describeError, guardHttpServer, quietFinalHandler, type UpgradeClaim } from './http-guard.ts';
import { mergeAllowedHosts, parseAllowedHosts } from './origin-policy.ts';
import { labOptionsFromEnv } from './env-options.ts';

const LAB_WS_PATH = '/api/ws';
const HMR_PROTOCOLS = new Set(['vite-hmr', 'vite-ping']);

/**
 * Vite's HMR socket, when it shares this server: Vite answers an upgrade whose Sec-WebSocket-Protocol
 * is vite-hmr or vite-ping on base + server.ws.path (see createWebSocketServer in vite), nothing else.
 */
function viteHmrClaim(config: ResolvedConfig, httpServer: ViteHttpServer): UpgradeClaim | null {
  const ws = config.server.ws;
  if (ws === false) return null;
  const options = typeof ws === 'object' ? ws : undefined;
  const ownServer = options?.server
    ? options.server === httpServer
    : !options?.port || options.port === config.server.port;
  if (!ownServer) return null;
  const path = options?.path ? posix.join(config.base, options.path) : config.base;
  return (req, url) => HMR_PROTOCOLS.has(String(req.headers['sec-websocket-protocol'])) && url.pathname === path;
}

/**
 * WebSocket upgrades Vite's proxy forwards (a `server.proxy` / `preview.proxy` entry with `ws: true` or
 * a ws(s): target), matched the way Vite matches them: `^…` is a RegExp, anything else a URL prefix.
 */
function viteProxyClaim(proxy: Record<string, string | ProxyOptions> | undefined): UpgradeClaim | null {
  const matchers = Object.entries(proxy ?? {})
    .filter(([, entry]) => {
      const target = typeof entry === 'string' ? entry : entry.target;
      return (typeof entry === 'object' && entry.ws === true) || (typeof target === 'string' && /^wss?:/i.test(target));
    })
    .map(([context]) => {
      const regex = context.startsWith('^') ? new RegExp(context) : null;
      return (url: string) => (regex ? regex.test(url) : url.startsWith(context));
    });
  if (matchers.length === 0) return null;
  return (req) => matchers.some((match) => match(req.url ?? '/'));
}

const LAST_RESORT = Symbol.for('sse-vs-websocket-lab:last-resort');

/**
 * Whatever still escapes (an async middleware that rejects, a socket error nobody listens for) is
 * logged on one line and the server keeps serving. Once per process: a dev server restart runs the
 * hooks again.
 */
function installLastResort(logger: Logger): void {
  const marked = process as NodeJS.Process & { [LAST_RESORT]?: true };
  if (marked[LAST_RESORT]) return;
  marked[LAST_RESORT] = true;
  process.on('uncaughtException', (err) => {
    logger.error(`[lab] uncaught exception (still serving): ${describeError(err)}`, { timestamp: true });
  });
  process.on('unhandledRejection', (reason) => {
    logger.error(`[lab] unhandled rejection (still serving): ${describeError(reason)}`, { timestamp: true });
  });
}

function mount(
  mode: 'server' | 'preview',
  server: { config: ResolvedConfig; middlewares: Connect.Server; httpServer: ViteHttpServer | null },
  options: LabServerOptions,
): void {
  const { config, middlewares, httpServer } = server;
  const lab = createLabServer(options);
  middlewares.use((req, res, next) => {
    if (!lab.handleRequest(req, res)) next();
  });
  const log = (line: string) => config.logger.error(line, { timestamp: true });
  // connect's default last handler puts err.stack in the page (NODE_ENV is not "production" in preview).
  // Vite dev has its own error middleware (the overlay page) before this one.
  const handle = middlewares.handle.bind(middlewares);
  middlewares.handle = (req: IncomingMessage, res, out) => handle(req, res, out ?? quietFinalHandler(req, res, log));
  if (!httpServer) return; // middlewareMode: the host's server is not ours to guard.
  installLastResort(config.logger);
  const claims: UpgradeClaim[] = [(_req, url) => url.pathname === LAB_WS_PATH];
  const hmr = mode === 'server' ? viteHmrClaim(config, httpServer) : null;
  const proxy = viteProxyClaim(mode === 'server' ? config.server.proxy : config.preview.proxy);
  for (const claim of [hmr, proxy]) if (claim) claims.push(claim);
  guardHttpServer(httpServer, {
    allowedHosts: mode === 'preview' ? config.preview.allowedHosts : config.server.allowedHosts,
    allowHostHint: `add it to ${mode}.allowedHosts in vite.config.ts, or to LAB_ALLOWED_HOSTS (comma-separated; "true" allows any host)`,
    claims,
    unclaimedHint: `the lab's WebSocket endpoint is ${LAB_WS_PATH}`,
    log,
  });
  const http1 = httpServer as HttpServer;
  http1.on('upgrade', (req, socket, head) => {
    // The guard only lets through WebSocket upgrades the lab or Vite's HMR socket claimed.
    lab.handleUpgrade(req, socket, head);
  });
  http1.on('close', () => lab.close());
}

export function labServerPlugin(options: LabServerOptions = {}): Plugin {
  // LAB_TOKEN, LAB_ALLOWED_ORIGINS, LAB_MAX_RATE (env-options.ts).
  options = labOptionsFromEnv(options);
  return {
    name: 'sse-vs-websocket-lab:live-endpoints',
    config(user) {
      // LAB_ALLOWED_HOSTS: more Host names (comma-separated; ".example.com" for a domain and its
      // subdomains; "true" for any) the server answers, for Vite's pages and the lab's endpoints alike.
      // Added to server.allowedHosts (which preview inherits), and to preview.allowedHosts if set.
      const extra = parseAllowedHosts(process.env.LAB_ALLOWED_HOSTS);
      if (extra === undefined) return;
      user.server = { ...user.server, allowedHosts: mergeAllowedHosts(user.server?.allowedHosts, extra) };
      if (user.preview?.allowedHosts !== undefined) {
        user.preview = { ...user.preview, allowedHosts: mergeAllowedHosts(user.preview.allowedHosts, extra) };
      }
    },
    configureServer(server) {
      mount('server', server, options);
    },
    configurePreviewServer(server) {
      mount('preview', server, options);
    },
  };
}
