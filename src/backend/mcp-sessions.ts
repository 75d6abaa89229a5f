/**
 * The MCP sessions a backend holds, both transports together: at most MAX_MCP_SESSIONS, each ended
 * after MCP_SESSION_IDLE_MS without a request or a running call (an open stream does not keep it: a
 * mocked stream the page closed is never signalled). When full, the session idle longest is let go
 * for a new one; if every session has a call running, the new one is refused (503). The spec lets a
 * server end a session at any time; the client then gets 404 and initializes again. Session ids are
 * 128 random bits in hex (visible ASCII, as the spec requires).
 */
import { MAX_MCP_SESSIONS, MCP_SESSION_IDLE_MS } from '../protocol/limits.ts';
import type { Timers } from '../protocol/player.ts';

export interface McpOptions extends SessionsOptions {
  version: string;
  /** `retry:` at the start of each Streamable HTTP SSE answer (the SDK waits this long before it resumes). */
  retryMs: number;
  /** A comment on a long-lived stream (GET /mcp, GET /sse) this often. */
  heartbeatMs: number;
  timers: Timers;
  /** Origins allowed besides the request's own host (LAB_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
}

/** What both transports' sessions share: the options and the one registry. */
export interface McpShared {
  options: McpOptions;
  sessions: McpSessions;
}

export interface McpSession {
  readonly id: string;
  readonly transport: 'streamable' | 'legacy';
  /** When it last had a request, or last had a stream or a call end. */
  lastSeen: number;
  /** A call is running: never idle, never evicted. */
  busy(): boolean;
  /** Ends it: calls stop, open streams end. */
  close(): void;
  /** SSE connections open now and calls running. */
  stats(): { connections: number; runningCalls: number };
}

export interface SessionsOptions {
  max?: number;
  idleMs?: number;
  now?: () => number;
  randomId?: () => string;
}

/** 16 random bytes as 32 hex characters (crypto.getRandomValues works outside secure contexts too). */
export function randomSessionId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class McpSessions {
  private readonly sessions = new Map<string, McpSession>();
  readonly max: number;
  readonly idleMs: number;
  readonly now: () => number;
  private readonly randomId: () => string;

  constructor(options: SessionsOptions = {}) {
    this.max = options.max ?? MAX_MCP_SESSIONS;
    this.idleMs = options.idleMs ?? MCP_SESSION_IDLE_MS;
    this.now = options.now ?? Date.now;
    this.randomId = options.randomId ?? randomSessionId;
  }

  get size(): number {
    return this.sessions.size;
  }

  values(): IterableIterator<McpSession> {
    return this.sessions.values();
  }

  /** The session of that transport with this id (expired ones are gone first). */
  get(id: string | undefined, transport: McpSession['transport']): McpSession | undefined {
    this.prune();
    const session = id === undefined ? undefined : this.sessions.get(id);
    return session?.transport === transport ? session : undefined;
  }

  /** A new session made by `make`, or null when every slot holds a busy session. */
  add<S extends McpSession>(make: (id: string) => S): S | null {
    this.prune();
    if (this.sessions.size >= this.max) {
      let oldest: McpSession | null = null;
      for (const s of this.sessions.values()) if (!s.busy() && (oldest === null || s.lastSeen < oldest.lastSeen)) oldest = s;
      if (oldest === null) return null;
      this.end(oldest.id);
    }
    let id = this.randomId();
    while (this.sessions.has(id)) id = this.randomId();
    const session = make(id);
    this.sessions.set(id, session);
    return session;
  }

  /** Forgets a session and closes it; false if it was not held. */
  end(id: string): boolean {
    const session = this.sessions.get(id);
    if (session === undefined) return false;
    this.sessions.delete(id);
    session.close();
    return true;
  }

  /** Forgets sessions idle longer than idleMs. */
  prune(): void {
    const now = this.now();
    for (const session of [...this.sessions.values()]) {
      if (!session.busy() && now - session.lastSeen > this.idleMs) this.end(session.id);
    }
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id);
  }
}
