/**
 * Every limit the lab's server enforces, named once. Pure data: the live server enforces them, the
 * mock follows the ones that apply to it, /api/info publishes them, and the README's "Limits and
 * security" table lists them (a test checks the table names every one).
 *
 * Contract: a client past a limit gets a 4xx/503 with a JSON `{error}` naming the limit, or a
 * WebSocket close code with a reason; never a crash, never unbounded memory.
 */

export interface Limit {
  /** The name used in error texts and the README. */
  name: string;
  value: number;
  unit: 'bytes' | 'ms' | 'count' | 'chars' | 'levels' | 'frames';
  /** What a client sees past it. */
  refusal: string;
}

/** Largest WebSocket message a client may send (ws `maxPayload`); the lab's own are < 2 KB. */
export const MAX_CLIENT_MESSAGE_BYTES = 8 * 1024;
/** Deepest nesting of arrays/objects in a JSON body or WebSocket message. */
export const MAX_JSON_DEPTH = 32;
/** Longest piece of a client's input quoted back in an error text. */
export const MAX_ECHO_CHARS = 80;
/** Replies the server has queued for a WebSocket or SSE client that does not read; past it, the client is closed. */
export const MAX_REPLY_BACKLOG_BYTES = 4 * 1024 * 1024;
/** Polled streams playing at once (all clients). */
export const MAX_POLL_SESSIONS = 32;
/** Bytes of frames one poll answer carries; the client polls again for the rest. */
export const MAX_POLL_ANSWER_BYTES = 1024 * 1024;
/** Frames one polled stream keeps for its poller; the oldest go first. */
export const MAX_POLL_BUFFERED_FRAMES = 5_000;
/** Bytes of frame data one polled stream keeps; the oldest go first. */
export const MAX_POLL_BUFFERED_BYTES = 2 * 1024 * 1024;
/** Faults (outages and armed HTTP errors) held at once; the oldest go first. */
export const MAX_FAULTS = 100;
/** An armed HTTP error that no request has taken expires after this long. */
export const ARMED_ERROR_TTL_MS = 60_000;
/** Bytes of one GET /api/runs answer; `next` names where the rest starts. */
export const MAX_RUN_LOG_ANSWER_BYTES = 1024 * 1024;
/** Streams (SSE, POST stream, WebSocket) open at once from one client address. */
export const MAX_STREAMS_PER_ADDRESS = 1500;
/** Streams open at once, all clients. */
export const MAX_STREAMS_TOTAL = 5000;
/** Highest `after` / `Last-Event-ID` a stream resumes from (seqs stay exact integers well past it). */
export const MAX_RESUME_SEQ = 1e15;
/** Time after one GET /api/memory measurement before the next may start (each pauses the server for a full GC). */
export const MEMORY_PROBE_COOLDOWN_MS = 5_000;
/** Largest POST /api/stream body. */
export const MAX_STREAM_BODY_BYTES = 16 * 1024;
/** Largest body of the control endpoints (faults, auth, chat). */
export const MAX_CONTROL_BODY_BYTES = 4 * 1024;
/** MCP sessions held at once (Streamable HTTP at /mcp and HTTP+SSE at /sse together). */
export const MAX_MCP_SESSIONS = 64;
/** An MCP session with no request and no running call for this long is ended (its streams with it). */
export const MCP_SESSION_IDLE_MS = 5 * 60_000;
/** Largest POST /mcp or POST /sse/messages body. */
export const MAX_MCP_BODY_BYTES = 64 * 1024;
/** Messages in one JSON-RPC batch (protocol revision 2025-03-26 only). */
export const MAX_MCP_BATCH_MESSAGES = 20;
/** Tool calls (`count`) running at once in one MCP session. */
export const MAX_MCP_RUNNING_CALLS = 4;
/** SSE events one MCP session keeps for resumption (Last-Event-ID); finished streams go first. */
export const MAX_MCP_REPLAY_EVENTS = 500;

/** Largest POST /api/agent body: a stateless agent turn re-sends the whole conversation. */
export const MAX_AGENT_BODY_BYTES = 1024 * 1024;
/** Agent sessions the server keeps for `previous_response_id` turns (all clients); past it the oldest goes. */
export const MAX_AGENT_SESSIONS = 1000;
/** An agent session nobody continued for this long is forgotten (its id answers 404). */
export const AGENT_SESSION_TTL_MS = 10 * 60_000;

/** Every limit above with what a client sees past it: published in /api/info, listed in the README. */
export const LIMITS: readonly Limit[] = [
  { name: 'MAX_CLIENT_MESSAGE_BYTES', value: MAX_CLIENT_MESSAGE_BYTES, unit: 'bytes', refusal: 'WebSocket closed with 1009 (message too big)' },
  { name: 'MAX_JSON_DEPTH', value: MAX_JSON_DEPTH, unit: 'levels', refusal: '400 (body) or an error message (WebSocket)' },
  { name: 'MAX_ECHO_CHARS', value: MAX_ECHO_CHARS, unit: 'chars', refusal: 'error texts quote at most this much of a value, then its length' },
  { name: 'MAX_REPLY_BACKLOG_BYTES', value: MAX_REPLY_BACKLOG_BYTES, unit: 'bytes', refusal: 'WebSocket closed with 1008; an SSE stream is cut' },
  { name: 'MAX_POLL_SESSIONS', value: MAX_POLL_SESSIONS, unit: 'count', refusal: '503 with Retry-After' },
  { name: 'MAX_POLL_ANSWER_BYTES', value: MAX_POLL_ANSWER_BYTES, unit: 'bytes', refusal: 'a shorter answer; poll again for the rest' },
  { name: 'MAX_POLL_BUFFERED_FRAMES', value: MAX_POLL_BUFFERED_FRAMES, unit: 'frames', refusal: 'the oldest frames go; the poller sees a gap in seq' },
  { name: 'MAX_POLL_BUFFERED_BYTES', value: MAX_POLL_BUFFERED_BYTES, unit: 'bytes', refusal: 'the oldest frames go; the poller sees a gap in seq' },
  { name: 'MAX_FAULTS', value: MAX_FAULTS, unit: 'count', refusal: 'the oldest fault goes' },
  { name: 'ARMED_ERROR_TTL_MS', value: ARMED_ERROR_TTL_MS, unit: 'ms', refusal: 'an armed HTTP error nobody took expires' },
  { name: 'MAX_RUN_LOG_ANSWER_BYTES', value: MAX_RUN_LOG_ANSWER_BYTES, unit: 'bytes', refusal: 'a shorter answer with `next`: ask from=next for the rest' },
  { name: 'MAX_STREAMS_PER_ADDRESS', value: MAX_STREAMS_PER_ADDRESS, unit: 'count', refusal: '503 with Retry-After (SSE, POST stream, WebSocket upgrade)' },
  { name: 'MAX_STREAMS_TOTAL', value: MAX_STREAMS_TOTAL, unit: 'count', refusal: '503 with Retry-After (SSE, POST stream, WebSocket upgrade)' },
  { name: 'MAX_RESUME_SEQ', value: MAX_RESUME_SEQ, unit: 'count', refusal: '400 (after / Last-Event-ID)' },
  { name: 'MEMORY_PROBE_COOLDOWN_MS', value: MEMORY_PROBE_COOLDOWN_MS, unit: 'ms', refusal: '429 with Retry-After' },
  { name: 'MAX_STREAM_BODY_BYTES', value: MAX_STREAM_BODY_BYTES, unit: 'bytes', refusal: '400, connection closed' },
  { name: 'MAX_CONTROL_BODY_BYTES', value: MAX_CONTROL_BODY_BYTES, unit: 'bytes', refusal: '400, connection closed' },
  { name: 'MAX_MCP_SESSIONS', value: MAX_MCP_SESSIONS, unit: 'count', refusal: '503 with Retry-After and a JSON-RPC error (the session idle longest is ended first)' },
  { name: 'MCP_SESSION_IDLE_MS', value: MCP_SESSION_IDLE_MS, unit: 'ms', refusal: 'the session is ended: 404, the client initializes again' },
  { name: 'MAX_MCP_BODY_BYTES', value: MAX_MCP_BODY_BYTES, unit: 'bytes', refusal: '400 with a JSON-RPC parse error, connection closed' },
  { name: 'MAX_MCP_BATCH_MESSAGES', value: MAX_MCP_BATCH_MESSAGES, unit: 'count', refusal: '400 with a JSON-RPC error (-32600)' },
  { name: 'MAX_MCP_RUNNING_CALLS', value: MAX_MCP_RUNNING_CALLS, unit: 'count', refusal: 'a JSON-RPC error (-32000) for the call' },
  { name: 'MAX_MCP_REPLAY_EVENTS', value: MAX_MCP_REPLAY_EVENTS, unit: 'count', refusal: 'the oldest events go (finished streams first); a late resume skips them' },
  { name: 'MAX_AGENT_BODY_BYTES', value: MAX_AGENT_BODY_BYTES, unit: 'bytes', refusal: '400, connection closed' },
  { name: 'MAX_AGENT_SESSIONS', value: MAX_AGENT_SESSIONS, unit: 'count', refusal: 'the oldest session goes; its previous_response_id then answers 404' },
  { name: 'AGENT_SESSION_TTL_MS', value: AGENT_SESSION_TTL_MS, unit: 'ms', refusal: 'the session is forgotten; its previous_response_id answers 404' },
];
