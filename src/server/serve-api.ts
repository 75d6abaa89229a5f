/**
 * The lab's endpoints alone, without Vite and without the page: `npm run serve:api`. For a chat UI's
 * or an SDK's own test suite that wants a deterministic, fault-injectable streaming server
 * (`/api/*`, `/v1/chat/completions`, `/v1/messages`) and nothing else.
 *
 *   PORT (default 4180), HOST (default 127.0.0.1), and the variables of env-options.ts and
 *   LAB_ALLOWED_HOSTS, as for `npm start`.
 *
 * The same guard as under Vite (http-guard.ts): bad targets, Host, upgrades nobody serves; anything
 * that is not the lab's gets a JSON 404.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createLabServer, type LabServerOptions } from './lab-server.ts';
import { labOptionsFromEnv } from './env-options.ts';
import { describeError, guardHttpServer } from './http-guard.ts';
import { parseAllowedHosts } from './origin-policy.ts';

export interface ApiServer {
  server: Server;
  /** http://host:port */
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(
  options: LabServerOptions & { port?: number; host?: string; allowedHosts?: string[] | true } = {},
): Promise<ApiServer> {
  const { port = 4180, host = '127.0.0.1', allowedHosts, ...labOptions } = options;
  const lab = createLabServer(labOptions);
  const server = createServer((req, res) => {
    if (lab.handleRequest(req, res)) return;
    const body = JSON.stringify({ error: `no endpoint ${req.url ?? '/'}: this is the lab's API only (see GET /api/info)` });
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  guardHttpServer(server, {
    // As Vite's default: localhost, *.localhost and IP addresses, plus LAB_ALLOWED_HOSTS.
    allowedHosts: allowedHosts ?? [],
    allowHostHint: 'add it to LAB_ALLOWED_HOSTS (comma-separated; "true" allows any host)',
    claims: [(_req, url) => url.pathname === '/api/ws'],
    unclaimedHint: "the lab's WebSocket endpoint is /api/ws",
  });
  server.on('upgrade', (req, socket, head) => {
    lab.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shown}:${address.port}`,
    async close() {
      lab.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.on('uncaughtException', (err) => console.error(`[lab] uncaught exception (still serving): ${describeError(err)}`));
  process.on('unhandledRejection', (reason) => console.error(`[lab] unhandled rejection (still serving): ${describeError(reason)}`));
  const api = await startApiServer({
    ...labOptionsFromEnv({ version: process.env.npm_package_version }),
    port: Number(process.env.PORT ?? 4180),
    host: process.env.HOST ?? '127.0.0.1',
    allowedHosts: parseAllowedHosts(process.env.LAB_ALLOWED_HOSTS),
  });
  console.log(`lab API on ${api.url} (GET ${api.url}/api/info; OpenAI baseURL ${api.url}/v1; Anthropic baseURL ${api.url})`);
  const stop = () => void api.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
