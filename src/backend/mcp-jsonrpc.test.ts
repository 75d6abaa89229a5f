import { describe, expect, it } from 'vitest';
import { MAX_MCP_BATCH_MESSAGES } from '../protocol/limits.ts';
import { idKey, parseRpcBody, parseRpcMessage, rpcError } from './mcp-jsonrpc.ts';

describe('parseRpcMessage', () => {
  it('tells a request, a notification and a response apart', () => {
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 1, method: 'ping' })).toEqual({ ok: true, value: { kind: 'request', id: 1, method: 'ping', params: {} } });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'x' } })).toMatchObject({ value: { kind: 'request', id: 'a', params: { name: 'x' } } });
    expect(parseRpcMessage({ jsonrpc: '2.0', method: 'notifications/initialized' })).toMatchObject({ value: { kind: 'notification' } });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 3, result: {} })).toEqual({ ok: true, value: { kind: 'response', id: 3 } });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 3, error: { code: 1, message: 'no' } })).toMatchObject({ value: { kind: 'response' } });
  });

  it('refuses what MCP does not allow, with the reason', () => {
    expect(parseRpcMessage([])).toEqual({ ok: false, error: 'a JSON-RPC message must be an object' });
    expect(parseRpcMessage({ id: 1, method: 'ping' })).toEqual({ ok: false, error: '"jsonrpc" must be "2.0"; got nothing' });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: null, method: 'ping' })).toMatchObject({ error: expect.stringMatching(/MCP allows no null id/) });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 1.5, method: 'ping' })).toMatchObject({ ok: false });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 1, method: 'ping', params: [1] })).toEqual({ ok: false, error: '"params" must be an object' });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 1, method: '' })).toMatchObject({ ok: false });
    expect(parseRpcMessage({ jsonrpc: '2.0', id: 1 })).toMatchObject({ error: expect.stringMatching(/needs a "method"/) });
  });
});

describe('parseRpcBody', () => {
  it('one message, or a batch of them', () => {
    expect(parseRpcBody({ jsonrpc: '2.0', id: 1, method: 'ping' })).toMatchObject({ ok: true, batch: false, messages: [{ kind: 'request' }] });
    expect(parseRpcBody([{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', method: 'n' }])).toMatchObject({ ok: true, batch: true, messages: [{}, {}] });
  });

  it('an empty batch, a batch past MAX_MCP_BATCH_MESSAGES, a bad item: -32600 with no id', () => {
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    expect(parseRpcBody([])).toEqual({ ok: false, error: rpcError(null, -32600, 'Invalid Request: an empty batch') });
    expect(parseRpcBody(Array(MAX_MCP_BATCH_MESSAGES + 1).fill(ping))).toMatchObject({ error: { error: { message: expect.stringMatching(/MAX_MCP_BATCH_MESSAGES/) } } });
    expect(parseRpcBody([ping, { method: 'x' }])).toMatchObject({ error: { id: null, error: { code: -32600, message: expect.stringMatching(/^Invalid Request: batch item 1/) } } });
  });
});

it('idKey keeps 1 and "1" apart', () => {
  expect(idKey(1)).not.toBe(idKey('1'));
});
