/**
 * One run: both lanes on one scenario, started and stopped together. Wires each transport's events
 * into its lane's recorder on the receive path; the UI only ever calls `snapshot()` on a timer.
 */
import { preciseNow, type ChatMessage, type Frame } from '../../protocol/frame.ts';
import { scenarioQuery, type ScenarioConfig } from '../../protocol/scenarios.ts';
import { plannedTotal } from '../../protocol/schedule.ts';
import type { StreamOptions } from '../../protocol/stream-options.ts';
import type { StreamTransport } from '../../protocol/faults.ts';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import type { WireFormat } from '../../protocol/llm-wire.ts';
import type { FetchApi } from '../../protocol/provider-wire.ts';
import { providerCall } from './provider-call.ts';
import { stepFrames, toolCallTurn, toolResultContent, type AgentVariant } from '../../protocol/agent.ts';
import { AgentTurnRecorder, type AgentView } from '../../metrics/agent-turns.ts';
import { AgentFetchTransport } from '../../transports/agent-fetch-transport.ts';
import type { LaneSnapshot } from '../../metrics/lane-recorder.ts';
import type { BackoffPolicy } from '../../transports/backoff.ts';
import { EventSourceTransport } from '../../transports/event-source-transport.ts';
import { FetchSseTransport } from '../../transports/fetch-sse-transport.ts';
import { PollingTransport } from '../../transports/polling-transport.ts';
import { WebSocketTransport } from '../../transports/websocket-transport.ts';
import { WebSocketStreamTransport } from '../../transports/websocket-stream-transport.ts';
import { SlowConsumer } from '../../transports/slow-consumer.ts';
import type {
  CloseReason,
  ConnectionState,
  ReconnectInfo,
  Transport,
  TransportIssue,
  TransportKind,
} from '../../transports/transport.ts';
import { defaultLanes, serverTransportOf } from '../lanes/lane-registry.ts';
import { diagnosisText, issueText, type LaneAdvice, type LaneMessage } from '../lanes/lane-words.ts';
import type { UrlRunEndpoints } from '../url-mode/endpoints.ts';
import { diagnose, httpTwin, probeFor, type Diagnosis, type FailureContext } from '../url-mode/diagnose.ts';
import { probeReachable, probeSse } from '../url-mode/url-probe.ts';
import type { SenderBackpressure } from '../lanes/sender-backpressure.ts';
import { RecordingLaneRecorder } from '../run-file/recording-recorder.ts';
import type { RunRecording } from '../run-file/run-file-format.ts';

export interface RunConfig {
  scenario: ScenarioConfig;
  options: StreamOptions;
  backoff: BackoffPolicy;
  /** Which lanes run, in display order. */
  lanes: readonly TransportKind[];
  /** fetch + SSE: the bearer token it sends, if any. */
  token?: string;
  /** fetch + SSE: reconnect by itself with Last-Event-ID (off, as in LLM SDKs). */
  fetchResume?: boolean;
  /** How token frames look on the SSE lanes' wire (llm only). */
  format?: WireFormat;
  /** fetch + SSE: POST /api/stream, or a provider-compatible path (llm only; see provider-call.ts). */
  api?: FetchApi;
  /** fetch + SSE in the agent loop: the whole conversation per POST, or the new input + previous id. */
  agentVariant?: AgentVariant;
  /** The slow consumer: ms the page spends on every frame, in every lane (0 or absent: none). */
  consumeMs?: number;
  /** Where the run plays: lanes that cannot be mocked (WebSocketStream) say so in Mock mode. */
  mode?: 'mock' | 'live';
  /**
   * URL mode: the lanes open these endpoints (someone else's server) instead of the lab's; the
   * scenario and the lab's options then do not apply. See src/features/url-mode/.
   */
  endpoints?: UrlRunEndpoints;
}

export const allLanes: readonly TransportKind[] = defaultLanes;

/** How the run reaches the sender's stream log (GET /api/runs, or the mock's). */
export interface RunHooks {
  onStopped?(runId: string): void;
  serverLog?(runId: string): Promise<StreamRecord[]>;
  /** Mock only: tell the mock the page closed these streams (a mocked EventSource is never signalled). */
  clientClosed?(runId: string, transports: readonly StreamTransport[]): void;
}

/** Why a lane ended up closed, worded for the page. */
export type LaneCloseReason =
  | { kind: 'complete' }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: LaneMessage; code?: number };

export interface LaneView extends LaneSnapshot<LaneMessage> {
  kind: TransportKind;
  state: ConnectionState;
  closeReason: LaneCloseReason | null;
  /** Where a resume continues from. */
  lastSeq: number;
  /** Lanes that ping (WebSocket): round-trip time of the newest ping. */
  rttMs: number | null;
  /** Lanes with the lab's own reconnect loop (WebSocket): its state. */
  reconnect: ReconnectInfo | null;
  /** Lanes that reconnect at the SSE `retry` (EventSource, fetch + SSE): the retry the server sends. */
  retryMs: number | null;
  /** Reconnect attempts the browser or the lab has made since the last good connection. */
  attempt: number;
  /** After "Stop generating": when the sender stopped, from its own log (null until known). */
  serverStop: { ms: number; framesAfterStop: number; reason: string | null } | null;
  /** The agent loop's per-turn numbers (scenario `agent`; absent otherwise). */
  agent?: AgentView;
  /**
   * With the slow consumer on: ms per frame, and the frames received but not yet handled, now and at
   * most (null when the page keeps up).
   */
  consumer: { costMs: number; queued: number; maxQueued: number } | null;
  /** The sender's side of backpressure, from the server's run log: added on the page (see sender-backpressure.ts). */
  sender?: SenderBackpressure | null;
  /**
   * URL mode, after a failure: why, as far as the page can tell, and what to try; 'pending' while the
   * lab is still asking (see src/features/url-mode/diagnose.ts). Absent elsewhere.
   */
  advice?: LaneAdvice | 'pending' | null;
}

export interface RunSnapshot {
  runId: string;
  elapsedS: number;
  lanes: LaneView[];
  /** Every lane is closed. */
  finished: boolean;
}

interface Lane {
  transport: Transport;
  /** The slow consumer between the transport and the recorder, when the run has one. */
  consumer: SlowConsumer | null;
  /** The lane's recorder, which also journals what it gets, for a run file (src/features/run-file/). */
  recorder: RecordingLaneRecorder;
  closeReason: CloseReason | null;
  attempt: number;
  rttMs: number | null;
  reconnect: ReconnectInfo | null;
  unsubscribe: () => void;
  /** The agent loop's per-turn recorder (scenario `agent`). */
  agent: AgentTurnRecorder | null;
  /** URL mode: the newest failure's diagnosis ('pending' while probing). */
  diagnosis: Diagnosis | 'pending' | null;
}

let runCounter = 0;

/** URL builders for a run's streams; `after` > 0 resumes after that seq. */
export function streamUrls(run: RunConfig, runId: string, origin: string) {
  const query = scenarioQuery(run.scenario);
  query.set('retry', String(run.options.retry));
  if (run.options.flakyFrames > 0) query.set('flakyFrames', String(run.options.flakyFrames));
  if (run.options.flakyMs > 0) query.set('flakyMs', String(run.options.flakyMs));
  query.set('run', runId);
  const sseQuery = new URLSearchParams(query);
  if (run.format && run.format !== 'lab') sseQuery.set('format', run.format);
  const wsOrigin = origin.replace(/^http/, 'ws');
  const withAfter = (after: number) => (after > 0 ? `${query}&after=${after}` : `${query}`);
  return {
    sse: (after: number) => `${origin}/api/sse?${sseQuery}${after > 0 ? `&after=${after}` : ''}`,
    ws: (after: number) => `${wsOrigin}/api/ws?${withAfter(after)}`,
    /** The same endpoint, named in the run log as the WebSocketStream lane's (`client=`). */
    wss: (after: number) => `${wsOrigin}/api/ws?${withAfter(after)}&client=websocket-stream`,
    stream: `${origin}/api/stream`,
    /** The page's origin (the provider paths hang off it). */
    origin,
    poll: (after: number, waitMs: number) => `${origin}/api/poll?${withAfter(after)}&wait=${waitMs}`,
    /** The SSE lanes' side channel for chat messages (and EventSource's tool results). */
    chat: `${origin}/api/chat`,
    /** fetch + SSE's agent turns. */
    agent: `${origin}/api/agent`,
  };
}

/** The JSON body the fetch lane POSTs: the same scenario and options as the other lanes' query. */
export function streamBody(run: RunConfig, runId: string) {
  const options: Record<string, number> = { retry: run.options.retry };
  if (run.options.flakyFrames > 0) options.flakyFrames = run.options.flakyFrames;
  if (run.options.flakyMs > 0) options.flakyMs = run.options.flakyMs;
  return {
    scenario: run.scenario.scenario,
    params: run.scenario.params,
    options,
    run: runId,
    ...(run.format && run.format !== 'lab' ? { format: run.format } : {}),
  };
}

/** What a run needs to build one lane's transport. */
export interface TransportSetup {
  config: RunConfig;
  runId: string;
  urls: ReturnType<typeof streamUrls>;
  /** Frames a finite stream carries in all (null when endless). */
  total: number | null;
}

export type TransportFactory = (kind: TransportKind, setup: TransportSetup) => Transport;

/** The lab's transports, one per lane kind. */
export const labTransports: TransportFactory = (kind, { config, runId, urls, total }) => {
  const server = serverTransportOf(kind);
  const chat = server ? { url: urls.chat, run: runId, transport: server } : undefined;
  switch (kind) {
    case 'eventsource':
      return new EventSourceTransport(urls.sse, { retryMs: config.options.retry, total, chat });
    case 'fetch-sse': {
      if (config.scenario.scenario === 'agent') {
        return new AgentFetchTransport(urls.agent, {
          params: config.scenario.params,
          run: runId,
          variant: config.agentVariant ?? 'stateless',
          token: config.token,
        });
      }
      if (config.api && config.api !== 'lab' && config.scenario.scenario === 'llm') {
        // A provider's stream: nobody resumes it (no Last-Event-ID on these paths), as with the SDKs.
        const call = providerCall(config.api, config.scenario, config.options, runId, urls.origin);
        return new FetchSseTransport(call.url, { body: call.body, headers: call.headers, token: config.token, resume: false, total, chat });
      }
      return new FetchSseTransport(urls.stream, {
        body: streamBody(config, runId),
        token: config.token,
        resume: config.fetchResume,
        retryMs: config.options.retry,
        total,
        chat,
      });
    }
    case 'websocket':
      return new WebSocketTransport(urls.ws, { backoff: config.backoff });
    case 'websocket-stream':
      return new WebSocketStreamTransport(urls.wss, { backoff: config.backoff, mock: config.mode === 'mock' });
    case 'short-poll':
    case 'long-poll':
      return new PollingTransport(urls.poll, { kind, intervalMs: 250, waitMs: 25_000 });
  }
};

/**
 * URL mode: the lanes on the user's endpoints. EventSource GETs the SSE URL, fetch + SSE sends the
 * method, headers and body given, the WebSocket sends the messages given on open. No lab parameter is
 * added to any URL; nothing the lab's server understands (ping, cancel, chat) is sent.
 */
export const urlTransports: TransportFactory = (kind, { config }) => {
  const e = config.endpoints;
  if (!e) throw new Error('URL mode needs endpoints');
  switch (kind) {
    case 'eventsource':
      return new EventSourceTransport(() => e.sse, { foreign: { mapping: e.mapping, events: e.events } });
    case 'fetch-sse':
      return new FetchSseTransport(e.sse, {
        body: null,
        headers: Object.fromEntries(e.headers),
        resume: config.fetchResume,
        foreign: { mapping: e.mapping, method: e.method, body: e.body },
      });
    case 'websocket':
      return new WebSocketTransport(() => e.ws, { backoff: config.backoff, foreign: { mapping: e.mapping, sendOnOpen: e.wsSend } });
    case 'short-poll':
    case 'long-poll':
    case 'websocket-stream':
      // Polling needs the lab's own poll endpoint, and URL mode has no WebSocketStream lane yet: the
      // page never picks them in URL mode (urlModeLanes).
      throw new Error(`${kind} has no URL mode`);
  }
};

/** A closing reason in words: a failure's issue becomes its message. */
function wordClose(reason: CloseReason | null): LaneCloseReason | null {
  if (reason?.kind !== 'failed') return reason;
  const message = issueText(reason.issue);
  return reason.code === undefined ? { kind: 'failed', message } : { kind: 'failed', message, code: reason.code };
}

function adviceOf(diagnosis: Diagnosis | 'pending' | null): LaneAdvice | 'pending' | null {
  return diagnosis === 'pending' || diagnosis === null ? diagnosis : diagnosisText(diagnosis);
}

export class RunSession {
  readonly runId: string;
  readonly startedAt: number;
  private readonly lanes: Lane[];
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private released = false;

  private cancelAt: number | null = null;
  private chatTimer: ReturnType<typeof setInterval> | null = null;
  private readonly toolTimers = new Set<ReturnType<typeof setTimeout>>();
  private serverStops = new Map<StreamTransport, StreamRecord>();

  constructor(
    readonly config: RunConfig,
    private readonly origin: string,
    private readonly hooks: RunHooks = {},
    /** Builds each lane's transport; tests pass their own. */
    makeTransport: TransportFactory = config.endpoints ? urlTransports : labTransports,
  ) {
    this.runId = `${Date.now().toString(36)}-${(++runCounter).toString(36)}`;
    this.startedAt = preciseNow();
    const setup: TransportSetup = {
      config,
      runId: this.runId,
      urls: streamUrls(config, this.runId, origin),
      // A finite stream's frame count: a lane with all of them in has a complete stream, however it ended.
      total: config.endpoints ? null : plannedTotal(config.scenario),
    };
    // Polling cannot answer a tool call: the agent loop runs on the other lanes only.
    const kinds = config.scenario.scenario === 'agent' ? config.lanes.filter((k) => serverTransportOf(k) !== null) : config.lanes;
    this.lanes = kinds.map((kind) => this.wire(makeTransport(kind, setup)));
  }

  private wire(transport: Transport): Lane {
    const foreign = this.config.endpoints !== undefined;
    const recorder = new RecordingLaneRecorder(this.startedAt, { foreign });
    const costMs = this.config.consumeMs ?? 0;
    const consumer = costMs > 0 ? new SlowConsumer(costMs) : null;
    if (consumer) transport.setConsumer(consumer);
    const lane: Lane = {
      transport,
      consumer,
      recorder,
      closeReason: null,
      attempt: 0,
      rttMs: null,
      reconnect: null,
      unsubscribe: () => {},
      agent: null,
      diagnosis: null,
    };
    const { scenario } = this.config;
    if (scenario.scenario === 'agent') {
      // The modelled session load is paid by HTTP turns only: the WebSocket keeps its session.
      const modelled = transport.kind === 'websocket' ? 0 : scenario.params.sessionLoadMs;
      lane.agent = new AgentTurnRecorder(this.startedAt, scenario.params.turns, stepFrames(scenario.params), modelled);
    }
    let opens = 0;
    lane.unsubscribe = transport.subscribe((event) => {
      switch (event.type) {
        case 'frame':
          recorder.recordFrame(event.at, event.frame, event.bytes);
          // The agent loop runs on the lab's own frames, which always carry seq and t.
          if (lane.agent !== null && event.frame.seq !== null && event.frame.t !== null) {
            lane.agent.recordFrame(event.at, { ...event.frame, seq: event.frame.seq, t: event.frame.t, kind: event.frame.kind as Frame['kind'] }, event.bytes);
            if (event.frame.kind === 'tool') this.runTool(transport, event.frame.data);
          }
          return;
        case 'agent-sent':
          lane.agent?.recordSent(event);
          return;
        case 'open':
          lane.attempt = 0;
          // The stream's own opening (EventSource's GET, the WebSocket's upgrade); fetch's POSTs count themselves.
          if (opens === 0 && transport.kind !== 'fetch-sse') lane.agent?.recordOpen();
          if (opens++ > 0) recorder.recordReconnect(event.at);
          return;
        case 'error':
          recorder.recordError(event.issue);
          // A tool result's side-channel request that the server did not take still went out.
          if (event.issue.code === 'chat.http' || event.issue.code === 'chat.failed') lane.agent?.recordUnanswered();
          return;
        case 'reply':
          recorder.recordReply(event.at, event.reply.t);
          return;
        case 'chat-sent':
          recorder.recordChatSent(event.bytes, event.connection === undefined ? undefined : { connection: event.connection });
          return;
        case 'poll':
          recorder.recordPoll(event.requestBytes, event.responseHeadBytes);
          return;
        case 'pong':
          lane.rttMs = event.rttMs;
          return;
        case 'cancelled':
          // The server's own account of an in-band cancel; its stream log says the same, for every lane.
          return;
        case 'reconnecting':
          lane.attempt = event.attempt;
          recorder.recordDisconnect(event.at);
          return;
        case 'reconnect-info':
          lane.reconnect = event.info;
          return;
        case 'closed':
          lane.closeReason = event.reason;
          if (event.reason.kind === 'failed') {
            recorder.recordDisconnect(event.at);
            if (foreign) void this.explain(lane, event.reason.issue);
          }
          return;
      }
    });
    return lane;
  }

  /** URL mode: why the lane failed, asking the server again where the browser would not say. */
  private async explain(lane: Lane, failure: TransportIssue): Promise<void> {
    const e = this.config.endpoints;
    if (!e) return;
    const kind = lane.transport.kind;
    const context: FailureContext = {
      kind,
      url: kind === 'websocket' ? e.ws : e.sse,
      origin: this.origin,
      method: e.method,
      headerNames: e.headers.map(([name]) => name),
    };
    const probe = probeFor(failure);
    if (probe === null) {
      lane.diagnosis = diagnose(failure, context, null);
      return;
    }
    lane.diagnosis = 'pending';
    const found = probe === 'ws' ? await probeReachable(httpTwin(e.ws)) : await probeSse(e.sse);
    // A reconnect since then has its own story.
    if (lane.diagnosis !== 'pending' || lane.closeReason?.kind !== 'failed') return;
    lane.diagnosis = diagnose(failure, context, found);
  }

  start(): void {
    for (const lane of this.lanes) lane.transport.connect();
    if (this.config.scenario.scenario === 'chat' && !this.config.endpoints) this.startChat();
    // Someone else's server does not know the lab's ping (its transports do not send one either).
    const pinging = this.config.endpoints ? [] : this.lanes.filter((l) => l.transport.capabilities.rtt === 'ping');
    if (pinging.length > 0) {
      this.pingTimer = setInterval(() => {
        for (const lane of pinging) lane.transport.ping();
      }, 1000);
    }
  }

  /** Manual reconnect of a lane that gave up; resumes after its last seq. */
  reconnect(kind: TransportKind): void {
    const lane = this.lanes.find((l) => l.transport.kind === kind);
    if (!lane || lane.closeReason?.kind !== 'failed') return;
    lane.closeReason = null;
    lane.diagnosis = null;
    lane.transport.reconnect();
  }

  stop(): void {
    for (const lane of this.lanes) lane.transport.close();
    this.release();
  }

  /**
   * "Stop generating": each transport cancels as it can — in band on a socket that stays open
   * (WebSocket), or by closing (fetch + SSE aborts its request, EventSource closes). Then the sender's
   * own log tells when it really stopped.
   */
  cancel(): void {
    if (this.cancelAt !== null) return;
    const at = preciseNow();
    this.cancelAt = at;
    const closed: StreamTransport[] = [];
    for (const lane of this.lanes) {
      lane.recorder.recordCancel(at);
      if (lane.transport.cancel() === 'in-band') continue;
      const server = serverTransportOf(lane.transport.kind);
      if (server) closed.push(server);
    }
    if (!this.config.endpoints) this.hooks.clientClosed?.(this.runId, closed);
    void this.pollServerLog();
  }

  private async pollServerLog(): Promise<void> {
    const fetchLog = this.hooks.serverLog;
    // Someone else's server keeps no log the lab can read.
    if (!fetchLog || this.config.endpoints) return;
    const wanted = this.lanes.flatMap((l) => serverTransportOf(l.transport.kind) ?? []);
    // The sender notices a closed connection within milliseconds; give it up to 5 s.
    for (let i = 0; i < 50; i++) {
      const records = await fetchLog(this.runId).catch(() => [] as StreamRecord[]);
      for (const transport of wanted) {
        // The newest stream of that transport is the one that was running at the click.
        const newest = records.filter((r) => r.transport === transport).at(-1);
        if (newest && newest.stoppedAt !== null) this.serverStops.set(transport, newest);
      }
      if (wanted.every((t) => this.serverStops.has(t))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * The simulated user: once every lane is open, one message every `gap` ms, in every lane that can
   * chat. The WebSocket sends on its own socket; the SSE lanes POST /api/chat and get the answer on
   * their stream.
   */
  private startChat(): void {
    const { messages, gap } = this.config.scenario.params;
    let sent = 0;
    this.chatTimer = setInterval(() => {
      if (sent >= messages) {
        if (this.chatTimer !== null) clearInterval(this.chatTimer);
        this.chatTimer = null;
        return;
      }
      if (!this.lanes.every((l) => l.transport.state === 'open')) return;
      sent++;
      for (const lane of this.lanes) {
        if (lane.transport.capabilities.chat === 'none') continue;
        const message: ChatMessage = { type: 'chat', id: `m${sent}`, t: preciseNow(), text: `Question ${sent} while you are still streaming` };
        lane.transport.sendChat(message);
      }
    }, gap);
  }

  /**
   * The agent loop's "tool": a tool call came on this lane; after the `tool` delay the page sends its
   * result, as the lane can (socket message, side-channel POST, the next turn's POST).
   */
  private runTool(transport: Transport, data: string): void {
    const turn = toolCallTurn(data);
    if (turn === null || this.released) return;
    const { params } = this.config.scenario;
    const timer = setTimeout(() => {
      this.toolTimers.delete(timer);
      if (this.released) return;
      transport.sendToolResult({ type: 'tool_result', turn, t: preciseNow(), content: toolResultContent(params, turn) });
    }, params.tool);
    this.toolTimers.add(timer);
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    for (const timer of this.toolTimers) clearTimeout(timer);
    this.toolTimers.clear();
    if (this.chatTimer !== null) clearInterval(this.chatTimer);
    this.chatTimer = null;
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.hooks.onStopped?.(this.runId);
  }

  snapshot(now = preciseNow()): RunSnapshot {
    const lanes = this.lanes.map((lane): LaneView => {
      const recorded = lane.recorder.snapshot(now);
      return {
        ...recorded,
        lastError: recorded.lastError === null ? null : issueText(recorded.lastError),
        kind: lane.transport.kind,
        state: lane.transport.state,
        closeReason: wordClose(lane.closeReason),
        lastSeq: lane.transport.lastSeq,
        rttMs: lane.rttMs,
        reconnect: lane.reconnect,
        // URL mode: the server's retry is its own (the lab asked for none).
        retryMs: lane.transport.capabilities.reconnect === 'sse-retry' && !this.config.endpoints ? this.config.options.retry : null,
        attempt: lane.attempt,
        serverStop: this.serverStopOf(lane.transport.kind),
        ...(lane.agent === null ? {} : { agent: this.agentView(lane.agent, lane.transport.kind) }),
        consumer: lane.consumer
          ? { costMs: lane.consumer.costMs, queued: lane.consumer.queued, maxQueued: lane.consumer.maxQueued }
          : null,
        ...(this.config.endpoints ? { advice: adviceOf(lane.diagnosis) } : {}),
      };
    });
    return {
      runId: this.runId,
      elapsedS: (now - this.startedAt) / 1000,
      lanes,
      // A lane still finding out why it failed (URL mode) is not done: its advice is on its way.
      finished: this.lanes.every((l) => l.closeReason !== null && l.diagnosis !== 'pending'),
    };
  }

  /**
   * For "Export": a snapshot now (what the page will show) and every lane's journal up to it. A replay
   * of the journals ends with this very snapshot.
   */
  recording(now = preciseNow()): RunRecording {
    const snapshot = this.snapshot(now);
    return {
      snapshot,
      startedAt: this.startedAt,
      config: this.config,
      lanes: this.lanes.map((lane) => lane.recorder.recording(lane.transport.kind)),
    };
  }

  private agentView(recorder: AgentTurnRecorder, kind: TransportKind): AgentView {
    const view = recorder.snapshot();
    return kind === 'fetch-sse' ? { ...view, variant: this.config.agentVariant ?? 'stateless' } : view;
  }

  private serverStopOf(kind: TransportKind): LaneView['serverStop'] {
    const transport = serverTransportOf(kind);
    const record = transport ? this.serverStops.get(transport) : undefined;
    if (!record || record.stoppedAt === null || this.cancelAt === null) return null;
    return { ms: record.stoppedAt - this.cancelAt, framesAfterStop: record.framesAfterStop, reason: record.reason };
  }

  dispose(): void {
    this.stop();
    for (const lane of this.lanes) lane.unsubscribe();
  }
}
