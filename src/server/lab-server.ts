/**
 * The live endpoints, framework-free: a request handler and an upgrade handler for node:http. The Vite
 * plugin mounts them in `dev` and `preview`; tests mount them on a plain server.
 *
 *   GET /api/info   scenarios, parameters, defaults and ranges
 *   GET /api/sse    text/event-stream; Last-Event-ID (or ?after=N) resumes at N + 1
 *   GET /api/ws     WebSocket; ?after=N resumes at N + 1; {"type":"ping","t":…} → pong
 *   GET /api/stats  counters the tests and the page can read
 *   POST /api/stream  text/event-stream for a POST with a JSON body (what LLM APIs do); Bearer auth
 *   POST /api/faults  inject a fault: drop, outage (reset | 503), HTTP error on the next SSE request
 *   POST /api/auth    require a bearer token on /api/stream, or not
 *   GET /api/runs     a run's streams: handshake, bytes per frame, when and why each stopped (from=N: from record N on)
 *   GET /api/memory   server memory per open SSE stream and per WebSocket (a child process connects)
 *
 * WebSocket upgrades from an Origin other than the server's own host get 403 (see origin-policy.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  encodeFrame,
  parseClientMessage,
  preciseNow,
  type DoneMessage,
  type Frame,
  type ReplyMessage,
  type ServerMessage,
  asChatMessage,
  replyTo,
} from '../protocol/frame.ts';
import { play, type Player } from '../protocol/player.ts';
import { createFrameBudget, FAIR_FRAMES_PER_TURN } from '../protocol/frame-budget.ts';
import { createSchedule, plannedTotal } from '../protocol/schedule.ts';
import { measureMemory, type ProbeKind } from './memory-probe.ts';
import {
  DEFAULT_MAX_RATE,
  maxRateSpec,
  parseParam,
  type ParamSpec,
  parseScenarioQuery,
  scenarioCatalogue,
  scenarioQuery,
  type ParseResult,
  type ScenarioConfig,
  type ScenarioSpec,
} from '../protocol/scenarios.ts';
import { encodeSseComment, encodeSseEvent, encodeSseRetry } from '../protocol/sse-encoding.ts';
import { FaultBook, parseFault, parseRun, RUN_ID_PATTERN, targets, type Fault, type FaultTarget, type StreamTransport } from '../protocol/faults.ts';
import { bearerMatches, parseStreamBody } from '../protocol/stream-body.ts';
import { StreamLog, type Handshake, type HttpHead } from '../protocol/stream-log.ts';
import { encodeBinaryFrame } from '../protocol/binary-frame.ts';
import { frameHeaderBytes } from '../protocol/websocket-wire.ts';
import { checkOrigin } from './origin-policy.ts';
import { checkControlRequest } from './control-policy.ts';
import { isJsonMediaType, parseJsonBounded, quote } from '../protocol/json-guard.ts';
import {
  LIMITS,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_CONTROL_BODY_BYTES,
  MAX_POLL_SESSIONS,
  MAX_REPLY_BACKLOG_BYTES,
  MAX_RESUME_SEQ,
  MAX_RUN_LOG_ANSWER_BYTES,
  MAX_STREAM_BODY_BYTES,
  MAX_STREAMS_PER_ADDRESS,
  MAX_STREAMS_TOTAL,
  MEMORY_PROBE_COOLDOWN_MS,
} from '../protocol/limits.ts';
import { bytesCounter, headFromLines, requestHead, sseHandshake } from './wire-record.ts';
import { PollBuffer } from '../protocol/poll-buffer.ts';
import { encodeWire, parseWireFormat, type WireFormat } from '../protocol/llm-wire.ts';
import { parseStreamOptions, streamOptionSpecs, type StreamOptions } from '../protocol/stream-options.ts';

export interface LabServerOptions {
  version?: string;
  /** `retry:` sent to EventSource when the request names none, in ms. */
  retryMs?: number;
  /** A comment is written to an SSE stream that has been silent this long. */
  heartbeatMs?: number;
  /** A WebSocket whose send buffer holds more than this pauses its player. */
  wsHighWaterMark?: number;
  /** When set, POST /api/stream needs `Authorization: Bearer <token>` (POST /api/auth changes it). */
  token?: string | null;
  /** A polled stream nobody has polled for this long is stopped and forgotten. */
  pollIdleMs?: number;
  /** Origins allowed to open a WebSocket besides the server's own host (LAB_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /**
   * The highest `rate` a ticker or binary stream may ask for, in msg/s (LAB_MAX_RATE; default 20000,
   * from 1000 to 1000000). Enforced on every stream endpoint and published in /api/info.
   */
  maxRate?: number;
  /** Streams open at once from one client address (default MAX_STREAMS_PER_ADDRESS). */
  maxStreamsPerAddress?: number;
  /** Streams open at once, all clients (default MAX_STREAMS_TOTAL). */
  maxStreamsTotal?: number;
  /** Polled streams playing at once (default MAX_POLL_SESSIONS). */
  maxPollSessions?: number;
  /** Time after a memory measurement before the next may start (default MEMORY_PROBE_COOLDOWN_MS). */
  memoryProbeCooldownMs?: number;
}

type PerTransport = { sse: number; fetch: number; ws: number };

export interface LabServerStats {
  /** Streams open right now, by transport (`fetch` is POST /api/stream). */
  open: PerTransport;
  /** Streams ever opened. */
  opened: PerTransport;
  /** Frames written, all streams. */
  framesSent: number;
  /** Writes attempted on a stream after its client went away. Anything but 0 is a leak. */
  writesAfterClose: number;
  /** Timers (pacing, heartbeat, backpressure, flaky drops) armed right now. */
  activeTimers: number;
  /** Connections refused by an outage or answered with an injected HTTP error. */
  refused: PerTransport;
  /** Connections dropped on purpose (drop fault, outage, flaky). */
  dropped: PerTransport;
  /** POST /api/stream requests refused for a missing or wrong token. */
  unauthorized: number;
  /** Chat messages answered (POST /api/chat and WebSocket). */
  chat: number;
  /** GET /api/poll requests answered, and polled streams playing now. */
  polls: number;
  pollStreams: number;
  /** WebSocket upgrades refused with 403 for an Origin the server does not allow. */
  forbiddenOrigin: number;
  /** Requests refused by a limit (streams per address or in total, polling sessions, slow readers closed). */
  limited: number;
  /** Control requests (faults, auth, chat, memory) refused for coming from another site. */
  forbiddenControl: number;
}

export interface LabServer {
  /** Handles `/api/*`; returns false for anything else so the host can serve it. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles the upgrade for `/api/ws`; returns false for any other path (leave it to e.g. Vite HMR). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  stats(): LabServerStats;
  close(): void;
}

const SSE_PATH = '/api/sse';
const WS_PATH = '/api/ws';
const FAULTS_PATH = '/api/faults';
const STREAM_PATH = '/api/stream';
const AUTH_PATH = '/api/auth';
const MAX_STREAM_BODY = MAX_STREAM_BODY_BYTES;

/** The request target as a URL, or null when it is not one (e.g. `http://[/`): never throws. */
function parseTarget(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://lab.invalid');
  } catch {
    return null;
  }
}

/** The client's address, for the per-address stream limit. */
function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** 405 with `Allow: POST` and a JSON reason for any other method; true when it answered. */
function refuseUnlessPost(req: IncomingMessage, res: ServerResponse, path: string, hint = ''): boolean {
  if (req.method === 'POST') return false;
  res.setHeader('Allow', 'POST');
  sendJson(res, 405, { error: `${req.method ?? 'this method'} is not allowed on ${path}; use POST${hint}` });
  return true;
}

/** 415 with a JSON reason unless the body is application/json; true when it answered. */
function refuseUnlessJson(req: IncomingMessage, res: ServerResponse): boolean {
  const type = req.headers['content-type'];
  if (isJsonMediaType(type)) return false;
  sendJson(res, 415, { error: `send the request as application/json; got ${type ? quote(type) : 'no content type'}` });
  req.resume();
  return true;
}

/** Answers an upgrade request with an HTTP error and a JSON reason; returns what it wrote. */
function rejectUpgrade(socket: Duplex, status: number, reason: string, error: string): { response: HttpHead; body: string } {
  const body = JSON.stringify({ error });
  const head =
    `HTTP/1.1 ${status} ${reason}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  socket.end(head + body);
  return { response: headFromLines(head.split('\r\n')), body };
}

function parseResume(raw: string | null | undefined, name: string): ParseResult<number> {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: 0 };
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > MAX_RESUME_SEQ) {
    return {
      ok: false,
      error: `${name} must be a non-negative integer up to ${MAX_RESUME_SEQ} (the last seq received; MAX_RESUME_SEQ); got ${quote(raw)}`,
    };
  }
  return { ok: true, value };
}

interface StreamRequest {
  config: ScenarioConfig;
  options: StreamOptions;
  after: number;
  /** The page's run id (?run=…): scopes faults to one run. */
  run: string | null;
  /** How the frames look on an SSE wire (llm only for anything but "lab"). */
  format: WireFormat;
  /** POST /api/stream: the body that asked for it, for the handshake record. */
  body?: string;
}

function checkFormat(raw: unknown, config: ScenarioConfig): ParseResult<WireFormat> {
  const format = parseWireFormat(raw);
  if (!format.ok) return format;
  if (format.value !== 'lab' && config.scenario !== 'llm') {
    return { ok: false, error: `format "${format.value}" shapes token streams: use it with scenario=llm` };
  }
  return format;
}

function parseStreamRequest(
  url: URL,
  lastEventId: string | undefined,
  catalogue: readonly ScenarioSpec[],
): ParseResult<StreamRequest> {
  const config = parseScenarioQuery(url.searchParams, catalogue);
  if (!config.ok) return config;
  const options = parseStreamOptions(url.searchParams);
  if (!options.ok) return options;
  const format = checkFormat(url.searchParams.get('format'), config.value);
  if (!format.ok) return format;
  const after =
    lastEventId !== undefined
      ? parseResume(lastEventId, 'Last-Event-ID')
      : parseResume(url.searchParams.get('after'), 'after');
  if (!after.ok) return after;
  const run = parseRun(url.searchParams.get('run') ?? undefined);
  if (!run.ok) return run;
  return {
    ok: true,
    value: {
      config: config.value,
      options: options.value,
      after: after.value,
      run: run.value ?? null,
      format: format.value,
    },
  };
}

const MAX_FAULT_BODY = MAX_CONTROL_BODY_BYTES;

/** A JSON body within `limit` bytes and MAX_JSON_DEPTH levels; `text` is what came, for the records. */
function readJsonBody(req: IncomingMessage, limit: number): Promise<ParseResult<unknown> & { text?: string }> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return; // Already refused: the rest is discarded.
      size += chunk.length;
      if (size > limit) {
        // Not req.destroy(): that destroys the socket, and the client gets a reset instead of the 400.
        // The answer carries Connection: close, so the rest of a large body is not read for long.
        chunks.length = 0;
        resolve({ ok: false, error: `the body must be at most ${limit} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) return;
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ ...parseJsonBounded(text), text });
    });
    req.on('error', () => resolve({ ok: false, error: 'the request body could not be read' }));
  });
}

interface OpenStream {
  transport: StreamTransport;
  run: string | null;
  /** Destroys the connection abruptly (no clean close). */
  drop(): void;
  /** SSE streams: writes the answer to a chat message sent on the side channel. */
  reply?(message: ReplyMessage): void;
}

/** Bytes of the request line and headers as they came over the wire (HTTP/1.1). */
function requestHeadBytes(req: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}\r\n`) + 2;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    bytes += Buffer.byteLength(req.rawHeaders[i]) + 2 + Buffer.byteLength(req.rawHeaders[i + 1]) + 2;
  }
  return bytes;
}

const CHAT_PATH = '/api/chat';
const MEMORY_PATH = '/api/memory';
/** Endpoints that change the server or cost it: only the lab's own page may call them (control-policy.ts). */
const CONTROL_PATHS = new Set([FAULTS_PATH, AUTH_PATH, CHAT_PATH, MEMORY_PATH]);

const memoryConnectionsSpec: ParamSpec = {
  name: 'n',
  label: 'Connections',
  unit: '',
  min: 10,
  max: 1000,
  default: 200,
  description: 'Streams of each kind the probe opens.',
};

const runLogFromSpec: ParamSpec = {
  name: 'from',
  label: 'From record',
  unit: '',
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  default: 0,
  description: 'Only the records numbered this or later (a poll resumes from its oldest open record).',
};

export function createLabServer(options: LabServerOptions = {}): LabServer {
  const retryMs = options.retryMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const wsHighWaterMark = options.wsHighWaterMark ?? 1 << 20;
  const version = options.version ?? '0.0.0';
  const maxRate = parseParam(maxRateSpec, String(options.maxRate ?? DEFAULT_MAX_RATE));
  if (!maxRate.ok) throw new RangeError(maxRate.error);
  const catalogue = scenarioCatalogue(maxRate.value);
  // Shared by every stream's player: together they send at most this many frames, then I/O gets a turn.
  const budget = createFrameBudget({ perTurn: FAIR_FRAMES_PER_TURN, defer: (fn) => setImmediate(fn) });
  let token = options.token ?? null;
  const counters: LabServerStats = {
    open: { sse: 0, fetch: 0, ws: 0 },
    opened: { sse: 0, fetch: 0, ws: 0 },
    framesSent: 0,
    writesAfterClose: 0,
    activeTimers: 0,
    refused: { sse: 0, fetch: 0, ws: 0 },
    dropped: { sse: 0, fetch: 0, ws: 0 },
    unauthorized: 0,
    chat: 0,
    polls: 0,
    pollStreams: 0,
    forbiddenOrigin: 0,
    limited: 0,
    forbiddenControl: 0,
  };
  const maxStreamsPerAddress = options.maxStreamsPerAddress ?? MAX_STREAMS_PER_ADDRESS;
  const maxStreamsTotal = options.maxStreamsTotal ?? MAX_STREAMS_TOTAL;
  const maxPollSessions = options.maxPollSessions ?? MAX_POLL_SESSIONS;
  const memoryProbeCooldownMs = options.memoryProbeCooldownMs ?? MEMORY_PROBE_COOLDOWN_MS;
  /** Open streams per client address (entries removed at 0). */
  const openByAddress = new Map<string, number>();
  const openTotal = () => counters.open.sse + counters.open.fetch + counters.open.ws;

  /** Why a new stream from this address may not open now, or null. */
  function streamLimit(address: string): string | null {
    if (openTotal() >= maxStreamsTotal) {
      return `the server has ${maxStreamsTotal} streams open, its limit (MAX_STREAMS_TOTAL); try again later`;
    }
    if ((openByAddress.get(address) ?? 0) >= maxStreamsPerAddress) {
      return `your address has ${maxStreamsPerAddress} streams open, the limit per client (MAX_STREAMS_PER_ADDRESS); close some first`;
    }
    return null;
  }
  /** Counts a stream against its address; returns the release (idempotent). */
  function holdAddress(address: string): () => void {
    openByAddress.set(address, (openByAddress.get(address) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (openByAddress.get(address) ?? 1) - 1;
      if (left <= 0) openByAddress.delete(address);
      else openByAddress.set(address, left);
    };
  }
  const closers = new Set<() => void>();
  const streams = new Set<OpenStream>();
  const faults = new FaultBook();
  const log = new StreamLog();
  const socketIds = new WeakMap<object, number>();
  let nextSocketId = 1;
  const socketId = (socket: object): number => {
    let id = socketIds.get(socket);
    if (id === undefined) socketIds.set(socket, (id = nextSocketId++));
    return id;
  };

  const pollIdleMs = options.pollIdleMs ?? 15_000;
  const polled = new Map<string, { buffer: PollBuffer; idle: unknown }>();

  function pollSession(key: string, config: ScenarioConfig): PollBuffer | null {
    let session = polled.get(key);
    if (!session) {
      if (polled.size >= maxPollSessions) return null;
      const buffer = new PollBuffer(config, Date.now(), timers);
      const entry: { buffer: PollBuffer; idle: unknown } = { buffer, idle: null };
      const armIdle = () => {
        entry.idle = timers.setTimeout(() => {
          entry.idle = null;
          if (Date.now() - buffer.lastUsed >= pollIdleMs - 5) {
            buffer.stop();
            polled.delete(key);
            counters.pollStreams--;
          } else armIdle();
        }, pollIdleMs);
      };
      armIdle();
      polled.set(key, entry);
      counters.pollStreams++;
      session = entry;
    }
    session.buffer.lastUsed = Date.now();
    return session.buffer;
  }

  /** GET /api/poll: short polling (wait=0) or long polling (wait>0) of a stream that plays on its own. */
  function servePoll(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const config = parseScenarioQuery(url.searchParams, catalogue.scenarios);
    if (!config.ok) {
      sendJson(res, 400, { error: config.error });
      return;
    }
    const after = parseResume(url.searchParams.get('after'), 'after');
    if (!after.ok) {
      sendJson(res, 400, { error: after.error });
      return;
    }
    const waitRaw = url.searchParams.get('wait') ?? '0';
    const wait = /^\d+$/.test(waitRaw) ? Number(waitRaw) : Number.NaN;
    if (!Number.isSafeInteger(wait) || wait > 30_000) {
      sendJson(res, 400, { error: `wait must be an integer from 0 to 30000 (ms); got ${quote(waitRaw)}` });
      return;
    }
    const run = parseRun(url.searchParams.get('run') ?? undefined);
    if (!run.ok) {
      sendJson(res, 400, { error: run.error });
      return;
    }
    const key = `${run.value ?? ''}|${scenarioQuery(config.value)}`;
    const buffer = pollSession(key, config.value);
    if (buffer === null) {
      counters.limited++;
      res.setHeader('Retry-After', String(Math.ceil(pollIdleMs / 1000)));
      sendJson(res, 503, {
        error: `the server is playing ${maxPollSessions} polled streams, its limit (MAX_POLL_SESSIONS); an idle one ends after ${pollIdleMs} ms`,
      });
      return;
    }
    const head = requestHeadBytes(req);
    let answered = false;
    let timer: unknown = null;
    let cancel = () => {};
    const answer = () => {
      // Exactly once: whichever comes first of a frame, the end of the wait, or the client leaving.
      if (answered) return;
      answered = true;
      cancel();
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      if (res.destroyed || res.writableEnded) return;
      counters.polls++;
      buffer.lastUsed = Date.now();
      sendJson(res, 200, { ...buffer.take(after.value), requestHeadBytes: head });
    };
    if (wait === 0) {
      answer();
      return;
    }
    timer = timers.setTimeout(() => {
      timer = null;
      answer();
    }, wait);
    cancel = buffer.wait(after.value, answer);
    res.on('close', () => {
      answered = true;
      cancel();
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    });
  }

  /** POST /api/chat: the SSE lanes' way to talk back while their stream runs. */
  function serveChat(req: IncomingMessage, res: ServerResponse): void {
    const head = requestHeadBytes(req);
    const connection = socketId(req.socket);
    void readJsonBody(req, MAX_FAULT_BODY).then((body) => {
      if (!body.ok) {
        if (!req.complete) res.setHeader('Connection', 'close');
        sendJson(res, 400, { error: body.error });
        return;
      }
      const value = body.value as { run?: unknown; transport?: unknown };
      if (typeof value !== 'object' || value === null || typeof value.run !== 'string' || !RUN_ID_PATTERN.test(value.run)) {
        sendJson(res, 400, { error: 'chat needs the "run" of the stream to answer on (1 to 64 letters, digits, "-", "_" or ".")' });
        return;
      }
      if (value.transport !== 'sse' && value.transport !== 'fetch') {
        sendJson(res, 400, { error: 'transport must be "sse" or "fetch" (WebSocket lanes chat on their socket)' });
        return;
      }
      const message = asChatMessage(value);
      if ('error' in message) {
        sendJson(res, 400, { error: message.error });
        return;
      }
      const targetsHere = [...streams].filter((st) => st.run === value.run && st.transport === value.transport && st.reply);
      if (targetsHere.length === 0) {
        sendJson(res, 404, { error: `no open ${value.transport} stream for run ${JSON.stringify(value.run)} to answer on` });
        return;
      }
      const reply = replyTo(message, preciseNow());
      for (const st of targetsHere) st.reply?.(reply);
      counters.chat++;
      const bodyBytes = Buffer.byteLength(body.text ?? '');
      sendJson(res, 202, { delivered: targetsHere.length, requestBytes: head + bodyBytes, connection });
    });
  }

  function dropMatching(target: FaultTarget, run: string | undefined): number {
    let n = 0;
    for (const stream of [...streams]) {
      if (!targets(target, stream.transport)) continue;
      if (run !== undefined && stream.run !== run) continue;
      stream.drop();
      n++;
    }
    return n;
  }

  function applyFault(fault: Fault): Record<string, unknown> {
    const now = Date.now();
    faults.apply(fault, now);
    switch (fault.action) {
      case 'drop':
        return { ok: true, dropped: dropMatching(fault.target, fault.run) };
      case 'outage':
        return { ok: true, dropped: dropMatching(fault.target, fault.run), until: now + fault.ms };
      default:
        return { ok: true };
    }
  }
  // maxPayload: the lab's own client messages are < 2 KB; a bigger one closes the socket with 1009.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  // The 101 head `ws` is about to write, per request, for the handshake record.
  const upgradeResponses = new WeakMap<IncomingMessage, string[]>();
  wss.on('headers', (headers: string[], req: IncomingMessage) => upgradeResponses.set(req, [...headers]));
  const allowedOrigins = options.allowedOrigins ?? [];

  /** setTimeout/setInterval that the stats can see. */
  const timers = {
    setTimeout(fn: () => void, ms: number): unknown {
      counters.activeTimers++;
      return setTimeout(() => {
        counters.activeTimers--;
        fn();
      }, ms);
    },
    clearTimeout(handle: unknown): void {
      counters.activeTimers--;
      clearTimeout(handle as NodeJS.Timeout);
    },
  };

  function info() {
    return {
      name: 'sse-vs-websocket-lab',
      version,
      retryMs,
      heartbeatMs,
      streamOptions: streamOptionSpecs,
      auth: { required: token !== null },
      // Every limit the server enforces, what a client sees past it (README: "Limits and security").
      limits: LIMITS,
      endpoints: {
        sse: `GET ${SSE_PATH}?scenario=…&<params>`,
        ws: `GET ${WS_PATH}?scenario=…&<params> (WebSocket)`,
        info: 'GET /api/info',
        stats: 'GET /api/stats',
        runs: 'GET /api/runs?run=<id>[&from=<record id>] (each stream of a run: its handshake, bytes written per frame, when it stopped and why)',
        memory: 'GET /api/memory?n=200 (server memory per open SSE stream and per WebSocket, measured now)',
        poll: 'GET /api/poll?scenario=…&after=N&wait=ms (wait=0: short poll; wait>0: long poll)',
        chat: 'POST /api/chat {"run","transport":"sse"|"fetch","id","t","text"} → a reply event on that stream',
        stream: 'POST /api/stream {"scenario":…,"params":{…}} or {"messages":[…]} → text/event-stream',
        faults: 'POST /api/faults {"action":"drop"|"outage"|"http-error"|"clear",…}',
        auth: 'POST /api/auth {"token":"…"|null}',
      },
      ...catalogue,
    };
  }

  let probing = false;
  let lastProbeEnd = Number.NEGATIVE_INFINITY;

  /** GET /api/memory?n=200: memory per open SSE stream and per WebSocket, measured now. */
  function serveMemory(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const n = parseParam(memoryConnectionsSpec, url.searchParams.get('n') ?? undefined);
    if (!n.ok) {
      sendJson(res, 400, { error: n.error });
      return;
    }
    if (probing) {
      sendJson(res, 409, { error: 'a memory measurement is already running; try again in a few seconds' });
      return;
    }
    const wait = lastProbeEnd + memoryProbeCooldownMs - Date.now();
    if (wait > 0) {
      // Each measurement collects garbage twice (the server pauses for it): one every few seconds at most.
      counters.limited++;
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      sendJson(res, 429, {
        error: `one memory measurement per ${memoryProbeCooldownMs} ms (MEMORY_PROBE_COOLDOWN_MS); try again in ${Math.ceil(wait)} ms`,
      });
      return;
    }
    const local = req.socket;
    const target = {
      host: local.localAddress ?? '127.0.0.1',
      port: local.localPort ?? 0,
      secure: 'encrypted' in local && local.encrypted === true,
      openNow: (kind: ProbeKind) => counters.open[kind],
    };
    probing = true;
    const run = `memory-${Date.now()}`;
    void (async () => {
      try {
        const sse = await measureMemory('sse', n.value, target, run);
        const ws = await measureMemory('ws', n.value, target, run);
        sendJson(res, 200, { connections: n.value, sse, ws });
      } catch (error) {
        sendJson(res, 500, { error: `memory measurement failed: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        probing = false;
        lastProbeEnd = Date.now();
      }
    })();
  }

  function serveSse(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const header = req.headers['last-event-id'];
    const parsed = parseStreamRequest(url, Array.isArray(header) ? header[0] : header, catalogue.scenarios);
    if (!parsed.ok) {
      sendJson(res, 400, { error: parsed.error });
      return;
    }
    streamSse(req, res, parsed.value, 'sse', url.searchParams.has('retry'));
  }

  /** POST /api/stream: the same stream for a JSON body, behind an optional bearer token. */
  function serveStreamPost(req: IncomingMessage, res: ServerResponse): void {
    if (token !== null && !bearerMatches(req.headers.authorization, token)) {
      counters.unauthorized++;
      res.setHeader('WWW-Authenticate', 'Bearer realm="sse-vs-websocket-lab"');
      sendJson(res, 401, {
        error: req.headers.authorization
          ? 'the bearer token is wrong'
          : 'this server requires a token: send Authorization: Bearer <token>',
      });
      req.resume();
      return;
    }
    if (refuseUnlessJson(req, res)) return;
    void readJsonBody(req, MAX_STREAM_BODY).then((body) => {
      if (!body.ok) {
        if (!req.complete) res.setHeader('Connection', 'close');
        sendJson(res, 400, { error: body.error });
        return;
      }
      const header = req.headers['last-event-id'];
      const parsed = parseStreamBody(body.value, Array.isArray(header) ? header[0] : header, catalogue.scenarios);
      if (!parsed.ok) {
        sendJson(res, 400, { error: parsed.error });
        return;
      }
      const { config, options: streamOptions, after, run, retrySet } = parsed.value;
      const format = checkFormat((body.value as { format?: unknown }).format, config);
      if (!format.ok) {
        sendJson(res, 400, { error: format.error });
        return;
      }
      streamSse(
        req,
        res,
        { config, options: streamOptions, after, run, format: format.value, body: body.text },
        'fetch',
        retrySet,
      );
    });
  }

  function streamSse(
    req: IncomingMessage,
    res: ServerResponse,
    request: StreamRequest,
    kind: 'sse' | 'fetch',
    retrySet: boolean,
  ): void {
    const { config, after, options: streamOptions, run, format } = request;
    const outage = faults.outage(kind, run, Date.now());
    if (outage === 'reset') {
      // As when the server is down: the connection is cut before any answer.
      counters.refused[kind]++;
      req.socket.destroy();
      return;
    }
    if (outage === '503') {
      counters.refused[kind]++;
      sendJson(res, 503, { error: 'service unavailable (simulated outage)' });
      return;
    }
    const httpError = faults.takeHttpError(run, kind, Date.now());
    if (httpError !== null) {
      counters.refused[kind]++;
      if (httpError === 204) {
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        res.end();
      } else if (httpError === 'content-type') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end('This is not an event stream (simulated wrong content type).\n');
      } else {
        sendJson(res, httpError, { error: `simulated HTTP ${httpError}` });
      }
      return;
    }
    const address = clientAddress(req);
    const limit = streamLimit(address);
    if (limit !== null) {
      counters.limited++;
      res.setHeader('Retry-After', '5');
      sendJson(res, 503, { error: limit });
      return;
    }
    const total = plannedTotal(config);
    if (total !== null && after >= total) {
      // Everything was delivered. 204 tells EventSource to stop reconnecting (WHATWG HTML).
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }

    const headers: Record<string, string> = {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    };
    if (req.httpVersionMajor < 2) headers.Connection = 'keep-alive';
    // CORS: a page from a listed origin may read the stream; any other foreign page gets no
    // Access-Control-Allow-Origin, and its browser withholds the response (the request still arrives).
    const origin = req.headers.origin;
    if (origin !== undefined && allowedOrigins.includes(origin.toLowerCase())) {
      headers['Access-Control-Allow-Origin'] = origin;
      headers.Vary = 'Origin';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      // Headers only: Node drops body writes on HEAD, so a stream would never flush them and its
      // player would run until the client gave up.
      res.end();
      return;
    }
    req.socket.setNoDelay(true);

    counters.open[kind]++;
    counters.opened[kind]++;
    const releaseAddress = holdAddress(address);
    let closed = false;
    let lastWrite = Date.now();
    const write = (chunk: string, onFlushed?: () => void): boolean => {
      if (closed) {
        counters.writesAfterClose++;
        return true;
      }
      lastWrite = Date.now();
      return onFlushed ? res.write(chunk, onFlushed) : res.write(chunk);
    };

    let heartbeat: unknown = null;
    const armHeartbeat = () => {
      heartbeat = timers.setTimeout(() => {
        heartbeat = null;
        if (closed) return;
        if (Date.now() - lastWrite >= heartbeatMs - 5) write(encodeSseComment('heartbeat'));
        armHeartbeat();
      }, heartbeatMs);
    };

    write(encodeSseRetry(retrySet ? streamOptions.retry : retryMs));
    const record = log.open(run, kind, preciseNow(), after);
    record.handshake = sseHandshake(req, res, request.body);
    const socketBytes = bytesCounter(req.socket, req.httpVersionMajor >= 2);
    let sentHere = 0;
    let firstHere = true;
    const player: Player = play({
      schedule: createSchedule(config, after),
      timers,
      budget,
      send(frame) {
        counters.framesSent++;
        StreamLog.wrote(record, frame.seq);
        const events = encodeWire(frame, format, firstHere);
        const chunk = events.map(encodeSseEvent).join('');
        firstHere = false;
        const socketBefore = socketBytes?.() ?? 0;
        const countBytes = () =>
          StreamLog.wroteBytes(
            record,
            events.reduce((sum, e) => sum + Buffer.byteLength(e.data), 0),
            Buffer.byteLength(chunk),
            socketBytes ? socketBytes() - socketBefore : null,
          );
        if (streamOptions.flakyFrames > 0 && ++sentHere % streamOptions.flakyFrames === 0) {
          // The N-th frame is the last on this connection. Cut once it has left: the response is
          // corked until the next tick, so destroying the socket now would discard it (and frames
          // written earlier in the same tick), and the client would see fewer than N.
          player.stop();
          write(chunk, () => stream.drop());
          countBytes();
          return false;
        }
        const ok = write(chunk);
        countBytes();
        return ok;
      },
      onDone(lastSeq) {
        StreamLog.stop(record, preciseNow(), 'complete');
        const done: DoneMessage = { type: 'done', total: lastSeq };
        // The other formats end with their own terminator (message_stop, [DONE]).
        if (format === 'lab') write(encodeSseEvent({ event: 'done', data: JSON.stringify(done) }));
        res.end();
        // Nothing may be written after end(): a heartbeat due before 'close' (a slow client still
        // taking the last bytes) would raise ERR_STREAM_WRITE_AFTER_END and crash the host.
        if (heartbeat !== null) timers.clearTimeout(heartbeat);
        heartbeat = null;
      },
    });
    res.on('drain', () => player.resume());
    armHeartbeat();
    // Nulled when it fires: cleanup() must not clear (and uncount) a timer that is already gone.
    let flaky: unknown =
      streamOptions.flakyMs > 0
        ? timers.setTimeout(() => {
            flaky = null;
            stream.drop();
          }, streamOptions.flakyMs)
        : null;

    const stream: OpenStream = {
      transport: kind,
      run,
      drop() {
        if (closed) return;
        counters.dropped[kind]++;
        StreamLog.stop(record, preciseNow(), 'dropped');
        cleanup();
        // Abrupt: the socket goes, no chunked terminator, so the browser sees a network error.
        req.socket.destroy();
      },
      reply(message) {
        if (closed || res.writableEnded) return;
        if (res.writableLength > MAX_REPLY_BACKLOG_BYTES) {
          // The client does not read: close it rather than buffer its answers without bound.
          counters.limited++;
          stream.drop();
          return;
        }
        write(encodeSseEvent({ event: 'reply', data: JSON.stringify(message) }));
      },
    };
    streams.add(stream);

    const cleanup = () => {
      if (closed) return;
      // The client went away (closed the EventSource, aborted the fetch): that is its cancel.
      StreamLog.stop(record, preciseNow(), 'client-closed');
      closed = true;
      player.stop();
      if (heartbeat !== null) timers.clearTimeout(heartbeat);
      heartbeat = null;
      if (flaky !== null) timers.clearTimeout(flaky);
      flaky = null;
      counters.open[kind]--;
      releaseAddress();
      closers.delete(forceClose);
      streams.delete(stream);
    };
    const forceClose = () => {
      cleanup();
      res.destroy();
    };
    closers.add(forceClose);
    res.on('close', cleanup);
  }

  function serveWs(ws: WebSocket, request: StreamRequest, socket: Duplex, handshake: Handshake, address: string): void {
    const socketBytes = bytesCounter(socket, false);
    counters.open.ws++;
    counters.opened.ws++;
    const releaseAddress = holdAddress(address);
    let closed = false;
    let backpressure: unknown = null;
    const send = (message: ServerMessage | string | Buffer): boolean => {
      if (closed) {
        counters.writesAfterClose++;
        return true;
      }
      if (ws.readyState !== ws.OPEN) {
        // The closing handshake has begun ('close' only fires once the TCP socket is gone): the
        // stream is over, so stop its player now rather than keep writing into a closing socket.
        cleanup();
        return true;
      }
      ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
      return ws.bufferedAmount < wsHighWaterMark;
    };
    /**
     * An answer to a client message (pong, reply, error): a client that keeps sending but does not
     * read gets closed (1008) once MAX_REPLY_BACKLOG_BYTES wait for it, instead of growing the server.
     */
    const answer = (message: ServerMessage): void => {
      if (ws.bufferedAmount > MAX_REPLY_BACKLOG_BYTES) {
        if (closed) return;
        counters.limited++;
        StreamLog.stop(record, preciseNow(), 'refused');
        cleanup();
        ws.close(1008, 'the client does not read its messages (MAX_REPLY_BACKLOG_BYTES)');
        // It will not read the close frame either: cut the socket if it is still there in a second.
        setTimeout(() => ws.terminate(), 1_000).unref();
        return;
      }
      send(message);
    };
    /** A frame: binary frames as one binary message, the others as JSON text; bytes counted. */
    const sendFrame = (frame: Frame): boolean => {
      const payload = frame.kind === 'bytes' ? Buffer.from(encodeBinaryFrame(frame)) : encodeFrame(frame);
      const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
      const writes = !closed && ws.readyState === ws.OPEN;
      const before = socketBytes?.() ?? 0;
      const ok = send(payload);
      if (writes) {
        StreamLog.wroteBytes(record, length, length + frameHeaderBytes(length), socketBytes ? socketBytes() - before : null);
      }
      return ok;
    };

    const waitForDrain = () => {
      backpressure = timers.setTimeout(() => {
        backpressure = null;
        if (closed) return;
        if (ws.bufferedAmount < wsHighWaterMark) player.resume();
        else waitForDrain();
      }, 10);
    };

    let sentHere = 0;
    const { flakyFrames, flakyMs } = request.options;
    const record = log.open(request.run, 'ws', preciseNow(), request.after);
    record.handshake = handshake;
    const player: Player = play({
      schedule: createSchedule(request.config, request.after),
      timers,
      budget,
      send(frame) {
        counters.framesSent++;
        StreamLog.wrote(record, frame.seq);
        const ok = sendFrame(frame);
        if (flakyFrames > 0 && ++sentHere % flakyFrames === 0) {
          stream.drop();
          return false;
        }
        if (!ok) waitForDrain();
        return ok;
      },
      onDone(lastSeq) {
        StreamLog.stop(record, preciseNow(), 'complete');
        send({ type: 'done', total: lastSeq });
        ws.close(1000, 'complete');
      },
    });

    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        answer({ type: 'error', error: 'binary messages are not understood; send JSON text' });
        return;
      }
      const message = parseClientMessage(data.toString());
      if ('error' in message) {
        answer({ type: 'error', error: message.error });
        return;
      }
      if (message.type === 'chat') {
        counters.chat++;
        answer(replyTo(message, preciseNow()));
        return;
      }
      if (message.type === 'cancel') {
        // Stop generating, keep the socket: the same connection can carry the next request.
        player.stop();
        const at = preciseNow();
        StreamLog.stop(record, at, 'cancel');
        answer({ type: 'cancelled', lastSeq: record.lastSeq, serverT: at });
        return;
      }
      answer({ type: 'pong', t: message.t, serverT: preciseNow() });
    });
    ws.on('error', () => ws.terminate());

    // Nulled when it fires: cleanup() must not clear (and uncount) a timer that is already gone.
    let flaky: unknown =
      flakyMs > 0
        ? timers.setTimeout(() => {
            flaky = null;
            stream.drop();
          }, flakyMs)
        : null;
    const stream: OpenStream = {
      transport: 'ws',
      run: request.run,
      drop() {
        if (closed) return;
        counters.dropped.ws++;
        StreamLog.stop(record, preciseNow(), 'dropped');
        cleanup();
        // terminate() destroys the socket without a close frame: the browser sees 1006.
        ws.terminate();
      },
    };
    streams.add(stream);

    const cleanup = () => {
      if (closed) return;
      StreamLog.stop(record, preciseNow(), 'client-closed');
      closed = true;
      player.stop();
      if (backpressure !== null) timers.clearTimeout(backpressure);
      backpressure = null;
      if (flaky !== null) timers.clearTimeout(flaky);
      flaky = null;
      counters.open.ws--;
      releaseAddress();
      closers.delete(forceClose);
      streams.delete(stream);
    };
    const forceClose = () => {
      cleanup();
      ws.terminate();
    };
    closers.add(forceClose);
    ws.on('close', cleanup);
  }

  return {
    handleRequest(req, res) {
      const url = parseTarget(req.url);
      if (url === null) {
        // Nobody can serve a target that is not a URL (e.g. `http://[/`).
        res.setHeader('Connection', 'close');
        sendJson(res, 400, { error: 'the request target is not a valid URL' });
        req.resume();
        return true;
      }
      if (!url.pathname.startsWith('/api/')) return false;
      if (CONTROL_PATHS.has(url.pathname)) {
        const verdict = checkControlRequest(req.headers, allowedOrigins);
        if (!verdict.ok) {
          counters.forbiddenControl++;
          sendJson(res, 403, { error: verdict.reason });
          req.resume();
          return true;
        }
        if (url.pathname !== MEMORY_PATH) {
          if (refuseUnlessPost(req, res, url.pathname)) return true;
          if (refuseUnlessJson(req, res)) return true;
        }
      }
      if (url.pathname === FAULTS_PATH) {
        void readJsonBody(req, MAX_FAULT_BODY).then((body) => {
          if (!body.ok) {
            // Part of the body is still unread (too large): close rather than read it all.
            if (!req.complete) res.setHeader('Connection', 'close');
            sendJson(res, 400, { error: body.error });
            return;
          }
          const fault = parseFault(body.value);
          if (!fault.ok) {
            sendJson(res, 400, { error: fault.error });
            return;
          }
          sendJson(res, 200, applyFault(fault.value));
        });
        return true;
      }
      if (url.pathname === STREAM_PATH) {
        if (refuseUnlessPost(req, res, STREAM_PATH, ` with a JSON body (GET ${SSE_PATH} is the EventSource endpoint)`)) return true;
        serveStreamPost(req, res);
        return true;
      }
      if (url.pathname === CHAT_PATH) {
        serveChat(req, res);
        return true;
      }
      if (url.pathname === AUTH_PATH) {
        if (token !== null && !bearerMatches(req.headers.authorization, token)) {
          // Changing or clearing an active token takes that token.
          counters.unauthorized++;
          res.setHeader('WWW-Authenticate', 'Bearer realm="sse-vs-websocket-lab"');
          sendJson(res, 401, { error: 'a token is set: send Authorization: Bearer <the current token> to change or clear it' });
          req.resume();
          return true;
        }
        void readJsonBody(req, MAX_FAULT_BODY).then((body) => {
          const value = body.ok ? body.value : null;
          const next = typeof value === 'object' && value !== null ? (value as { token?: unknown }).token : undefined;
          if (!body.ok || !(next === null || (typeof next === 'string' && /^[\x21-\x7e]{1,200}$/.test(next)))) {
            if (!req.complete) res.setHeader('Connection', 'close');
            sendJson(res, 400, {
              error: body.ok ? 'send {"token": "<1 to 200 visible ASCII characters>"} or {"token": null}' : body.error,
            });
            return;
          }
          token = next;
          sendJson(res, 200, { ok: true, required: token !== null });
        });
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET');
        sendJson(res, 405, { error: `${req.method ?? 'this method'} is not allowed on ${url.pathname}; use GET` });
        return true;
      }
      switch (url.pathname) {
        case '/api/info':
          sendJson(res, 200, info());
          return true;
        case '/api/stats':
          sendJson(res, 200, counters);
          return true;
        case '/api/poll':
          servePoll(req, res, url);
          return true;
        case MEMORY_PATH:
          serveMemory(req, res, url);
          return true;
        case '/api/runs': {
          const run = url.searchParams.get('run');
          if (!run || !RUN_ID_PATTERN.test(run)) {
            sendJson(res, 400, { error: 'run is required: GET /api/runs?run=<the run id of the streams: 1 to 64 letters, digits, "-", "_" or ".">' });
            return true;
          }
          const from = parseParam(runLogFromSpec, url.searchParams.get('from') ?? undefined);
          if (!from.ok) {
            sendJson(res, 400, { error: from.error });
            return true;
          }
          // At most MAX_RUN_LOG_ANSWER_BYTES per answer; `next` is the `from` of the rest (null: none).
          sendJson(res, 200, { run, ...log.pageForRun(run, from.value, MAX_RUN_LOG_ANSWER_BYTES) });
          return true;
        }
        case SSE_PATH:
          serveSse(req, res, url);
          return true;
        case WS_PATH:
          sendJson(res, 426, { error: `${WS_PATH} speaks WebSocket only: send an Upgrade: websocket request` });
          return true;
        default:
          sendJson(res, 404, { error: `no endpoint ${url.pathname}; see GET /api/info` });
          return true;
      }
    },

    handleUpgrade(req, socket, head) {
      const url = parseTarget(req.url);
      if (url === null) {
        rejectUpgrade(socket, 400, 'Bad Request', 'the request target is not a valid URL');
        return true;
      }
      if (url.pathname !== WS_PATH) return false;
      const origin = checkOrigin(req.headers.origin, req.headers.host, allowedOrigins);
      if (!origin.ok) {
        // The browser let the page try; refusing is the server's job (see origin-policy.ts).
        counters.forbiddenOrigin++;
        const refused = rejectUpgrade(socket, 403, 'Forbidden', origin.reason);
        const at = preciseNow();
        const run = parseRun(url.searchParams.get('run') ?? undefined);
        const record = log.open(run.ok ? (run.value ?? null) : null, 'ws', at, 0);
        record.handshake = { request: requestHead(req), ...refused, simulated: false };
        StreamLog.stop(record, at, 'refused');
        return true;
      }
      const parsed = parseStreamRequest(url, undefined, catalogue.scenarios);
      if (!parsed.ok) {
        rejectUpgrade(socket, 400, 'Bad Request', parsed.error);
        return true;
      }
      const request = parsed.value;
      const outage = faults.outage('ws', request.run, Date.now());
      if (outage !== null) {
        counters.refused.ws++;
        if (outage === 'reset') socket.destroy();
        else rejectUpgrade(socket, 503, 'Service Unavailable', 'service unavailable (simulated outage)');
        return true;
      }
      const address = clientAddress(req);
      const limit = streamLimit(address);
      if (limit !== null) {
        counters.limited++;
        rejectUpgrade(socket, 503, 'Service Unavailable', limit);
        return true;
      }
      const total = plannedTotal(request.config);
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (total !== null && request.after >= total) {
          ws.send(JSON.stringify({ type: 'done', total } satisfies DoneMessage));
          ws.close(1000, 'complete');
          return;
        }
        const handshake: Handshake = {
          request: requestHead(req),
          response: headFromLines(upgradeResponses.get(req) ?? ['HTTP/1.1 101 Switching Protocols']),
          simulated: false,
        };
        serveWs(ws, request, socket, handshake, address);
      });
      return true;
    },

    stats() {
      return structuredClone(counters);
    },

    close() {
      for (const [key, session] of polled) {
        session.buffer.stop();
        if (session.idle !== null) timers.clearTimeout(session.idle);
        polled.delete(key);
        counters.pollStreams--;
      }
      for (const close of [...closers]) close();
      wss.close();
    },
  };
}
