/**
 * JSON-RPC 2.0 as MCP uses it (https://www.jsonrpc.org/specification): what a client may send (a
 * request, a notification or a response, one message or, in revision 2025-03-26 only, a batch) and
 * the objects the lab answers with. Pure; the body has been parsed by parseJsonBounded already.
 *
 * MCP narrows JSON-RPC: a request id is a string or an integer, never null; params are an object.
 */
import { quote } from '../protocol/json-guard.ts';
import { MAX_MCP_BATCH_MESSAGES } from '../protocol/limits.ts';

export type RpcId = string | number;

/** JSON-RPC's error codes, and the two MCP servers use for transport errors (as the SDK does). */
export const RPC_ERROR = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** Transport-level refusals (wrong Accept, missing session, limits…). */
  server: -32000,
  sessionNotFound: -32001,
} as const;

export type RpcMessage =
  | { kind: 'request'; id: RpcId; method: string; params: Record<string, unknown> }
  | { kind: 'notification'; method: string; params: Record<string, unknown> }
  /** A client's answer to a server request (the lab sends none: accepted and ignored). */
  | { kind: 'response'; id: RpcId };

export type RpcRequest = Extract<RpcMessage, { kind: 'request' }>;

export interface RpcErrorObject {
  jsonrpc: '2.0';
  id: RpcId | null;
  error: { code: number; message: string; data?: unknown };
}

export function rpcError(id: RpcId | null, code: number, message: string, data?: unknown): RpcErrorObject {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

export function rpcResult(id: RpcId, result: unknown): { jsonrpc: '2.0'; id: RpcId; result: unknown } {
  return { jsonrpc: '2.0', id, result };
}

export function rpcNotification(method: string, params: Record<string, unknown>): { jsonrpc: '2.0'; method: string; params: unknown } {
  return { jsonrpc: '2.0', method, params };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isId = (value: unknown): value is RpcId =>
  (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isSafeInteger(value));

export type RpcParse = { ok: true; value: RpcMessage } | { ok: false; error: string };

/** One JSON-RPC message as MCP allows it, or what is wrong with it. */
export function parseRpcMessage(value: unknown): RpcParse {
  if (!isRecord(value)) return { ok: false, error: 'a JSON-RPC message must be an object' };
  if (value.jsonrpc !== '2.0') return { ok: false, error: `"jsonrpc" must be "2.0"; got ${quote(value.jsonrpc)}` };
  const hasId = 'id' in value;
  if (hasId && !isId(value.id)) {
    return { ok: false, error: `"id" must be a string or an integer (MCP allows no null id); got ${quote(value.id)}` };
  }
  if (!('method' in value)) {
    if (hasId && ('result' in value || isRecord(value.error))) return { ok: true, value: { kind: 'response', id: value.id as RpcId } };
    return { ok: false, error: 'a JSON-RPC message needs a "method" (request, notification) or an "id" with "result" or "error" (response)' };
  }
  if (typeof value.method !== 'string' || value.method === '') return { ok: false, error: `"method" must be a non-empty string; got ${quote(value.method)}` };
  if (value.params !== undefined && !isRecord(value.params)) return { ok: false, error: '"params" must be an object' };
  const params = (value.params as Record<string, unknown> | undefined) ?? {};
  return hasId
    ? { ok: true, value: { kind: 'request', id: value.id as RpcId, method: value.method, params } }
    : { ok: true, value: { kind: 'notification', method: value.method, params } };
}

export type RpcBody = { ok: true; messages: RpcMessage[]; batch: boolean } | { ok: false; error: RpcErrorObject };

/** A POST body (already JSON): one message, or an array of them (a batch, bounded by MAX_MCP_BATCH_MESSAGES). */
export function parseRpcBody(value: unknown): RpcBody {
  const invalid = (message: string): RpcBody => ({ ok: false, error: rpcError(null, RPC_ERROR.invalidRequest, `Invalid Request: ${message}`) });
  if (!Array.isArray(value)) {
    const one = parseRpcMessage(value);
    return one.ok ? { ok: true, messages: [one.value], batch: false } : invalid(one.error);
  }
  if (value.length === 0) return invalid('an empty batch');
  if (value.length > MAX_MCP_BATCH_MESSAGES) {
    return invalid(`a batch holds at most ${MAX_MCP_BATCH_MESSAGES} messages (MAX_MCP_BATCH_MESSAGES); got ${value.length}`);
  }
  const messages: RpcMessage[] = [];
  for (const [i, item] of value.entries()) {
    const one = parseRpcMessage(item);
    if (!one.ok) return invalid(`batch item ${i}: ${one.error}`);
    messages.push(one.value);
  }
  return { ok: true, messages, batch: true };
}

/** The key a request id is held under (1 and "1" are different ids). */
export const idKey = (id: RpcId): string => (typeof id === 'number' ? `n${id}` : `s${id}`);
