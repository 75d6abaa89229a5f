/**
 * For the MCP core's unit tests: a request as an adapter would hand it over, a sink that records
 * what a connection wrote, and the SSE blocks of that text. Not imported by the app.
 */
import type { McpInput } from './mcp-http.ts';
import type { McpSink } from './mcp-stream.ts';

export interface FakeRequest {
  method?: string;
  headers?: Record<string, string>;
  query?: string;
  body?: unknown;
  host?: string;
}

export function fakeInput({ method = 'POST', headers = {}, query = '', body, host = 'lab.test' }: FakeRequest): McpInput {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    header: (name) => lower[name],
    query: new URLSearchParams(query),
    host,
    readBody: () => Promise.resolve(body === undefined ? { ok: false, error: 'the body is not valid JSON' } : { ok: true, value: body }),
  };
}

/** One SSE block as written: its fields (comments and `retry:` blocks included). */
export interface Block {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** Records what a connection wrote; `sink` is what the core writes to. */
export class FakeSink {
  text = '';
  ended = false;
  wasCut = false;
  readonly sink: McpSink = {
    write: (text, flushed) => {
      this.text += text;
      flushed?.();
    },
    end: () => {
      this.ended = true;
    },
    cut: () => {
      this.wasCut = true;
    },
  };

  blocks(): Block[] {
    return this.text
      .split('\n\n')
      .filter(Boolean)
      .map((block) => {
        const out: Block = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) out.comment = line.slice(2);
          else {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon) as keyof Block;
            out[field] = line.slice(colon + 2);
          }
        }
        return out;
      });
  }

  /** The data of `event: message` blocks, parsed. */
  messages(): unknown[] {
    return this.blocks()
      .filter((b) => b.event === 'message')
      .map((b) => JSON.parse(b.data ?? '') as unknown);
  }
}
