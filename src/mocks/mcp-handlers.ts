/**
 * The mock's MCP endpoints: /mcp (Streamable HTTP), GET /sse + POST /sse/messages (HTTP+SSE). The
 * adapter (mcp-mock.ts) and the MCP core load on the first such request, so Mock mode's own chunk
 * does not carry them.
 */
import { http, type RequestHandler } from 'msw';

export function mcpHandlers(): RequestHandler[] {
  return ['/mcp', '/mcp/*', '/sse', '/sse/*'].map((path) => http.all(path, async ({ request }) => (await import('./mcp-mock.ts')).answerMcp(request)));
}
