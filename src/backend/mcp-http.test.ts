import { describe, expect, it } from 'vitest';
import { accepts, checkMcpOrigin, parseDrop } from './mcp-http.ts';

describe('accepts', () => {
  it('a listed type, a range covering it, not q=0', () => {
    expect(accepts('application/json, text/event-stream', 'text/event-stream')).toBe(true);
    expect(accepts('text/*', 'text/event-stream')).toBe(true);
    expect(accepts('*/*', 'application/json')).toBe(true);
    expect(accepts('Application/JSON;q=0.5', 'application/json')).toBe(true);
    expect(accepts('application/json', 'text/event-stream')).toBe(false);
    expect(accepts('text/event-stream;q=0', 'text/event-stream')).toBe(false);
    expect(accepts(undefined, 'application/json')).toBe(false);
  });
});

describe('checkMcpOrigin', () => {
  it('no Origin, the request’s own host, a listed origin: let through', () => {
    expect(checkMcpOrigin(undefined, 'lab.test', [])).toBeNull();
    expect(checkMcpOrigin('http://127.0.0.1:4173', '127.0.0.1:4173', [])).toBeNull();
    expect(checkMcpOrigin('http://Tool.Example', 'lab.test', ['http://tool.example'])).toBeNull();
  });

  it('another site, a rebound name, "null": 403 with a JSON-RPC error', () => {
    for (const [origin, host] of [['http://evil.example', 'lab.test'], ['http://evil.example:4173', '127.0.0.1:4173'], ['null', 'lab.test'], ['::', 'lab.test']]) {
      expect(checkMcpOrigin(origin, host, [])).toMatchObject({ kind: 'json', status: 403, body: { jsonrpc: '2.0', id: null, error: { code: -32000 } } });
    }
  });
});

it('parseDrop: 1 to 9999, or none', () => {
  expect(parseDrop(new URLSearchParams(''))).toEqual({ ok: true, value: null });
  expect(parseDrop(new URLSearchParams('drop=3'))).toEqual({ ok: true, value: 3 });
  for (const bad of ['0', '-1', 'x', '10000', '1.5']) expect(parseDrop(new URLSearchParams(`drop=${bad}`)).ok).toBe(false);
});
