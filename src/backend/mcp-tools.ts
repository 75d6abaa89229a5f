/**
 * The lab's two MCP tools and what a call to them does. Pure apart from the injected timers.
 *
 *   count {steps, intervalMs}   slow: one `notifications/progress` per step (with the request's
 *                               `_meta.progressToken`), then the result; answered over SSE
 *   echo {text}                 quick: the text back at once; answered as plain application/json
 *
 * Arguments that break the input schema are a tool execution error (`isError: true`) from revision
 * 2025-11-25 on (SEP-1303, so a model can correct itself); before it, a JSON-RPC -32602.
 */
import { quote } from '../protocol/json-guard.ts';
import type { Timers } from '../protocol/player.ts';
import { isRecord, rpcNotification, type RpcId } from './mcp-jsonrpc.ts';

export const COUNT_STEPS = { min: 1, max: 100, default: 5 } as const;
export const COUNT_INTERVAL_MS = { min: 0, max: 5_000, default: 200 } as const;
export const ECHO_MAX_CHARS = 1_000;

const integer = (range: { min: number; max: number; default: number }, description: string) => ({
  type: 'integer',
  minimum: range.min,
  maximum: range.max,
  default: range.default,
  description,
});

/** tools/list: each tool with its input schema, and its output schema from 2025-06-18 on (structured output). */
export function toolList(structured: boolean): Record<string, unknown>[] {
  const count = {
    name: 'count',
    description: `Counts to "steps" (${COUNT_STEPS.min}–${COUNT_STEPS.max}), one step every "intervalMs" ms, sending a progress notification per step; the result comes last. The lab answers it over SSE.`,
    inputSchema: {
      type: 'object',
      properties: {
        steps: integer(COUNT_STEPS, 'how many steps (progress notifications)'),
        intervalMs: integer(COUNT_INTERVAL_MS, 'time between steps, in ms'),
      },
      additionalProperties: false,
    },
  };
  const echo = {
    name: 'echo',
    description: `Returns "text" (at most ${ECHO_MAX_CHARS} characters) at once. The lab answers it as plain application/json.`,
    inputSchema: { type: 'object', properties: { text: { type: 'string', maxLength: ECHO_MAX_CHARS } }, required: ['text'], additionalProperties: false },
  };
  if (!structured) return [count, echo];
  return [
    { ...count, outputSchema: { type: 'object', properties: { counted: { type: 'integer' } }, required: ['counted'] } },
    { ...echo, outputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  ];
}

export type ToolCall = { tool: 'count'; steps: number; intervalMs: number } | { tool: 'echo'; text: string };

export type ToolParse =
  | { ok: true; call: ToolCall }
  /** Not a call of a known tool (unknown name, no name): always a JSON-RPC error. */
  | { ok: false; kind: 'protocol'; message: string }
  /** A known tool with arguments its schema refuses. */
  | { ok: false; kind: 'input'; message: string };

function intArg(args: Record<string, unknown>, name: string, range: { min: number; max: number; default: number }): number | string {
  const value = args[name];
  if (value === undefined) return range.default;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    return `"${name}" must be an integer from ${range.min} to ${range.max}; got ${quote(value)}`;
  }
  return value;
}

function unknownKeys(args: Record<string, unknown>, known: readonly string[]): string | null {
  const extra = Object.keys(args).find((key) => !known.includes(key));
  return extra === undefined ? null : `unknown argument ${quote(extra)} (takes ${known.join(', ')})`;
}

/** tools/call params → the call, or why not. */
export function parseToolCall(params: Record<string, unknown>): ToolParse {
  const { name } = params;
  const args = params.arguments ?? {};
  if (name !== 'count' && name !== 'echo') {
    return { ok: false, kind: 'protocol', message: `Unknown tool: ${quote(name)} (the lab has count and echo)` };
  }
  if (!isRecord(args)) return { ok: false, kind: 'input', message: '"arguments" must be an object' };
  const input = (message: string): ToolParse => ({ ok: false, kind: 'input', message: `${name}: ${message}` });
  if (name === 'echo') {
    const extra = unknownKeys(args, ['text']);
    if (extra !== null) return input(extra);
    if (typeof args.text !== 'string' || args.text.length > ECHO_MAX_CHARS) {
      return input(`"text" must be a string of at most ${ECHO_MAX_CHARS} characters; got ${quote(args.text)}`);
    }
    return { ok: true, call: { tool: 'echo', text: args.text } };
  }
  const extra = unknownKeys(args, ['steps', 'intervalMs']);
  if (extra !== null) return input(extra);
  const steps = intArg(args, 'steps', COUNT_STEPS);
  if (typeof steps === 'string') return input(steps);
  const intervalMs = intArg(args, 'intervalMs', COUNT_INTERVAL_MS);
  if (typeof intervalMs === 'string') return input(intervalMs);
  return { ok: true, call: { tool: 'count', steps, intervalMs } };
}

/** A tool's result: text content, and the same as structured content when the revision has it. */
export function toolResult(structured: boolean, text: string, data: Record<string, unknown>): Record<string, unknown> {
  return structured ? { content: [{ type: 'text', text }], structuredContent: data } : { content: [{ type: 'text', text }] };
}

/** A tool execution error (the call reached the tool; the tool says why it failed). */
export function toolError(text: string): Record<string, unknown> {
  return { content: [{ type: 'text', text }], isError: true };
}

export interface CountRun {
  /** Stops the steps still due (a cancel, the session ending). */
  stop(): void;
}

export interface CountOptions {
  steps: number;
  intervalMs: number;
  /** The request's `_meta.progressToken`; none: no progress notifications. */
  progressToken: RpcId | undefined;
  /** Progress notifications carry a `message` from revision 2025-03-26 on. */
  progressMessage: boolean;
  timers: Timers;
  /** Sends one message on the call's stream. */
  emit(message: unknown): void;
  /** The last step was sent: the caller answers the request. */
  done(): void;
}

/** Runs `count`: step i at i × intervalMs, the answer right after the last. */
export function runCount(options: CountOptions): CountRun {
  const { steps, intervalMs, progressToken, timers } = options;
  let step = 0;
  let handle: unknown = null;
  const tick = () => {
    handle = null;
    step++;
    if (progressToken !== undefined) {
      const params: Record<string, unknown> = { progressToken, progress: step, total: steps };
      if (options.progressMessage) params.message = `step ${step} of ${steps}`;
      options.emit(rpcNotification('notifications/progress', params));
    }
    // The answer follows the last step a timer turn later, in a write of its own. The 1.32.2 SDK
    // handles a notification a microtask after it arrives but a response at once, and the response
    // unregisters the progress handler: an EventSource that dispatches both from one chunk (the
    // SSEClientTransport's) would lose the last progress notification.
    handle = step < steps ? timers.setTimeout(tick, intervalMs) : timers.setTimeout(finish, 0);
  };
  const finish = () => {
    handle = null;
    options.done();
  };
  handle = timers.setTimeout(tick, intervalMs);
  return {
    stop() {
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
  };
}

/** The progress token a request asks for, if a valid one (a string or an integer). */
export function progressTokenOf(params: Record<string, unknown>): RpcId | undefined {
  const meta = params._meta;
  if (!isRecord(meta)) return undefined;
  const token = meta.progressToken;
  return typeof token === 'string' || (typeof token === 'number' && Number.isSafeInteger(token)) ? token : undefined;
}
