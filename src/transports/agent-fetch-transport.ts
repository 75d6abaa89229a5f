/**
 * fetch + SSE in the agent loop (`scenario=agent`): one POST /api/agent per turn, each answered with
 * one step as an SSE stream that ends after the step's tool call; the tool result goes up in the next
 * POST. Two variants, as the provider APIs offer them:
 *
 * - `stateless` (Chat Completions): every POST carries the whole conversation so far — the task,
 *   each step's text with its tool call, each tool result — so the bytes up grow with every turn;
 * - `previous` (Responses API `previous_response_id`): every POST carries only the new tool result
 *   and the id of the previous response (from its `x-lab-response-id` header); the server keeps the
 *   session.
 *
 * Seqs run on across the POSTs (the server starts each step after the last), so the lane's sequence
 * numbers still show anything lost. It never resumes a broken step (an SDK does not either).
 */
import { conversationAfter, type AgentVariant, type ToolResultMessage } from '../protocol/agent.ts';
import { preciseNow } from '../protocol/frame.ts';
import { decodeWire } from '../protocol/llm-wire.ts';
import type { ScenarioParams } from '../protocol/scenarios.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { createSseStreamReader } from './sse-stream-reader.ts';
import { BaseTransport, errorText, issue, type TransportCapabilities, type TransportIssue } from './transport.ts';

export interface AgentFetchOptions {
  params: ScenarioParams;
  run: string;
  variant: AgentVariant;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  fetchImpl?: typeof fetch;
}

/** The server's reason in an error body (`{"error":"…"}`), or the text. */
function reasonOf(text: string): string | null {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    if (typeof error === 'string') return error;
  } catch {
    // Not JSON: the text as it is.
  }
  return text.trim() || null;
}

export class AgentFetchTransport extends BaseTransport {
  readonly kind = 'fetch-sse' as const;
  readonly capabilities: TransportCapabilities = { cancel: 'close', chat: 'none', rtt: 'none', reconnect: 'sse-retry' };
  private controller: AbortController | null = null;
  private stopped = false;
  private complete = false;
  private opened = false;
  /** Each step's text as received (index s − 1): a stateless turn re-sends it. */
  private readonly stepTexts: string[] = [];
  /** The previous response's id (variant `previous`). */
  private previousId: string | null = null;
  /** Tool results taken so far: the next POST carries result `answered + 1`. */
  private answered = 0;
  /** A result that came while its step's response was still ending: sent when it has. */
  private pending: ToolResultMessage | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly url: string,
    private readonly options: AgentFetchOptions,
  ) {
    super();
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  connect(): void {
    if (this.controller || this.stopped || this.opened) return;
    this.setState('connecting');
    void this.turn(null);
  }

  /** A broken loop is not resumed (a new run starts over), as an SDK's caller would have to. */
  reconnect(): void {}

  /** Tool result k: the next POST, carrying it (and, stateless, everything before it). */
  override sendToolResult(result: ToolResultMessage): void {
    if (this.stopped || this.complete || result.turn !== this.answered + 1) return;
    if (this.controller !== null) this.pending = result;
    else void this.turn(result);
  }

  private body(result: ToolResultMessage | null): unknown {
    const { params, run, variant } = this.options;
    if (variant === 'stateless') {
      const done = result === null ? 0 : result.turn;
      return { variant, params, run, messages: conversationAfter(params, done, (s) => this.stepTexts[s - 1] ?? '') };
    }
    if (result === null) return { variant, params, run };
    return { variant, params, run, previous_response_id: this.previousId, input: result };
  }

  private async turn(result: ToolResultMessage | null): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const turn = result === null ? 0 : result.turn;
    const at = preciseNow();
    const text = JSON.stringify(this.body(result === null ? null : { ...result, t: at }));
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, { method: 'POST', headers, body: text, signal: controller.signal, cache: 'no-store' });
    } catch (error) {
      if (!controller.signal.aborted) this.fail(controller, issue('fetch.requestFailed', { error: errorText(error) }));
      return;
    }
    if (controller.signal.aborted) return;
    if (!response.ok) {
      const reason = reasonOf(await response.text().catch(() => ''));
      this.fail(controller, issue('http', { status: response.status, statusText: response.statusText, reason }));
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('text/event-stream') || !response.body) {
      void response.body?.cancel();
      this.fail(controller, issue('fetch.contentType', { type: type || null }));
      return;
    }
    // The server's own account of this request: its connection and the bytes it received.
    const serverBytes = Number(response.headers.get('x-lab-request-bytes'));
    const connection = Number(response.headers.get('x-lab-connection'));
    this.previousId = response.headers.get('x-lab-response-id') ?? this.previousId;
    this.emit({
      type: 'agent-sent',
      at,
      turn,
      bytes: Number.isFinite(serverBytes) && serverBytes > 0 ? serverBytes : utf8Length(text),
      ...(Number.isInteger(connection) ? { connection } : {}),
    });
    this.answered = turn;
    if (!this.opened) {
      this.opened = true;
      this.setState('open');
      this.emit({ type: 'open', at: preciseNow() });
    }

    let chunkAt = 0;
    let stepDone = false;
    const reader = createSseStreamReader({
      onEvent: (event) => {
        const message = decodeWire(event.event, event.data);
        if (message.kind === 'invalid') {
          this.emit({ type: 'error', at: chunkAt, issue: issue('frame.invalid', { data: JSON.stringify(event.data.slice(0, 60)) }) });
          return;
        }
        if (message.kind === 'done') stepDone = true;
        if (message.kind !== 'frame') return;
        const frame = message.frame;
        this.noteSeq(frame.seq);
        if (frame.kind === 'token') {
          const step = Math.floor((frame.seq - 1) / (this.options.params.tokens + 1));
          this.stepTexts[step] = (this.stepTexts[step] ?? '') + frame.data;
        }
        if (frame.kind === 'end') this.complete = true;
        this.emit({ type: 'frame', at: chunkAt, frame, bytes: utf8Length(event.data) });
      },
      onRetry: () => {},
    });
    const body = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await body.read();
        chunkAt = preciseNow();
        if (done) break;
        reader.push(value);
      }
      reader.end();
    } catch (error) {
      if (!controller.signal.aborted) this.fail(controller, issue('fetch.noReconnect', { cause: issue('fetch.broke', { error: errorText(error) }) }));
      return;
    }
    if (controller.signal.aborted || this.controller !== controller) return;
    this.controller = null;
    if (this.complete) {
      this.finish(preciseNow(), { kind: 'complete' });
      return;
    }
    if (!stepDone) {
      this.failWith(preciseNow(), issue('fetch.noReconnect', { cause: issue('fetch.endedEarly', {}) }));
      return;
    }
    // The step ended at its tool call: the run sends the result (sendToolResult), or it came already.
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) void this.turn(pending);
  }

  private fail(controller: AbortController, what: TransportIssue): void {
    if (this.controller !== controller) return;
    this.controller = null;
    this.failWith(preciseNow(), what);
  }

  close(): void {
    this.stopped = true;
    const controller = this.controller;
    this.controller = null;
    controller?.abort();
    this.finish(preciseNow(), { kind: 'stopped' });
  }
}
