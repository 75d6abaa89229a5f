/**
 * The mock's MCP endpoints in Node (MSW's setupServer) under the official client, as the live server
 * is in src/server/mcp-sdk.test.ts: the SDK's fetch and its EventSource go through MSW, and the same
 * backend core answers. A drop errors the mocked body once the reader has taken what came before it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mcpHandlers } from './mcp-handlers.ts';
import { mockBackend, resetMock } from './mock-state.ts';

const origin = 'http://lab.test';
vi.stubGlobal('location', { href: `${origin}/` });
const server = setupServer(...mcpHandlers());

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  resetMock();
});
afterAll(() => {
  server.close();
  vi.unstubAllGlobals();
});

/** Nothing left running in the mock: no timer (count steps, heartbeats). */
async function expectQuiet(): Promise<void> {
  await vi.waitFor(() => expect(mockBackend().stats().activeTimers).toBe(0), { timeout: 2_000, interval: 10 });
}

describe('StreamableHTTPClientTransport → the mock’s /mcp', () => {
  it('connects, lists, streams count’s progress, resumes after each drop (?drop=2) with nothing lost', async () => {
    resetMock({ retryMs: 10 });
    const resumes: string[] = [];
    const transport = new StreamableHTTPClientTransport(new URL(`${origin}/mcp?drop=2`), {
      fetch(input, init) {
        const lastEventId = new Headers(init?.headers).get('last-event-id');
        if (lastEventId !== null) resumes.push(lastEventId);
        return fetch(input, init);
      },
    });
    const client = new Client({ name: 'mock-test', version: '1.0.0' });
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['count', 'echo']);
    const progress: number[] = [];
    const result = await client.callTool({ name: 'count', arguments: { steps: 5, intervalMs: 5 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(result).toMatchObject({ structuredContent: { counted: 5 } });
    expect(resumes.filter((id) => id.startsWith('2-'))).toEqual(['2-2', '2-4']);
    expect(await client.callTool({ name: 'echo', arguments: { text: 'mocked' } })).toMatchObject({ content: [{ text: 'mocked' }] });
    await transport.terminateSession();
    await client.close();
    await expectQuiet();
  });
});

describe('SSEClientTransport → the mock’s /sse', () => {
  it('connects through the endpoint event and calls count with progress', async () => {
    const client = new Client({ name: 'mock-test', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${origin}/sse`)));
    const progress: number[] = [];
    const result = await client.callTool({ name: 'count', arguments: { steps: 3, intervalMs: 5 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2, 3]);
    expect(result).toEqual({ content: [{ type: 'text', text: 'counted to 3' }] });
    await client.close();
    await expectQuiet();
  });
});
