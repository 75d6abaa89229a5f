/**
 * The MCP endpoints on node:http: Streamable HTTP at /mcp and the deprecated HTTP+SSE transport at
 * /sse + /sse/messages. What to answer is the backend's (src/backend/mcp.ts); this reads the body
 * when the core asks for it, writes the answer, and owns each SSE response's socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcp, type McpAnswer } from '../../backend/mcp.ts';
import { MAX_MCP_BODY_BYTES } from '../../protocol/limits.ts';
import type { LiveContext } from './context.ts';
import { cutSocket, headerValue, readJsonBody } from './http-io.ts';

export interface McpAdapter {
  /** Answers a request to an MCP path (isMcpPath). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
  /** Ends every MCP session (the server closes). */
  close(): void;
}

function write(req: IncomingMessage, res: ServerResponse, answer: McpAnswer): void {
  // A body the core did not read (a refusal before it) is discarded, and the connection not reused.
  if (!req.complete) res.setHeader('Connection', 'close');
  switch (answer.kind) {
    case 'json': {
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        ...answer.headers,
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    case 'empty':
      res.writeHead(answer.status, { 'Cache-Control': 'no-store', ...answer.headers });
      res.end();
      return;
    case 'stream': {
      res.writeHead(200, req.httpVersionMajor < 2 ? { ...answer.headers, Connection: 'keep-alive' } : answer.headers);
      req.socket.setNoDelay(true);
      const connection = answer.open({
        write(text, flushed) {
          if (res.writableEnded || res.destroyed) return;
          if (flushed) res.write(text, flushed);
          else res.write(text);
        },
        end: () => res.end(),
        // Abrupt: no chunked terminator, so the client's read fails as on a network drop.
        cut: () => cutSocket(req.socket),
      });
      // The client went away (or the cut took effect): not a cancel, the stream waits for a resume.
      res.on('close', () => connection.closed());
    }
  }
}

export function createMcpAdapter(ctx: LiveContext): McpAdapter {
  const { backend } = ctx;
  const mcp = createMcp({
    version: backend.version,
    retryMs: backend.retryMs,
    heartbeatMs: backend.heartbeatMs,
    timers: backend.timers,
    allowedOrigins: ctx.allowedOrigins,
  });
  return {
    handle(req, res, url) {
      let read = false;
      void mcp
        .handle(url.pathname, {
          method: req.method ?? 'GET',
          header: (name) => headerValue(req.headers[name]),
          query: url.searchParams,
          host: headerValue(req.headers.host),
          readBody() {
            read = true;
            return readJsonBody(req, MAX_MCP_BODY_BYTES);
          },
        })
        .then((answer) => {
          if (!read) req.resume();
          write(req, res, answer);
        });
    },
    close: () => mcp.close(),
  };
}
