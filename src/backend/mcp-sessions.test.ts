import { describe, expect, it } from 'vitest';
import { MAX_MCP_SESSIONS, MCP_SESSION_IDLE_MS } from '../protocol/limits.ts';
import { McpSessions, randomSessionId, type McpSession } from './mcp-sessions.ts';

function fake(id: string, now: number, transport: McpSession['transport'] = 'streamable') {
  const session = { id, transport, lastSeen: now, running: false, closed: false, busy: () => session.running, close: () => void (session.closed = true), stats: () => ({ connections: 0, runningCalls: 0 }) };
  return session;
}

describe('McpSessions', () => {
  it('defaults to the named limits', () => {
    const sessions = new McpSessions();
    expect([sessions.max, sessions.idleMs]).toEqual([MAX_MCP_SESSIONS, MCP_SESSION_IDLE_MS]);
  });

  it('finds a session by id and transport only', () => {
    const sessions = new McpSessions({ now: () => 0 });
    const s = sessions.add((id) => fake(id, 0))!;
    expect(sessions.get(s.id, 'streamable')).toBe(s);
    expect(sessions.get(s.id, 'legacy')).toBeUndefined();
    expect(sessions.get(undefined, 'streamable')).toBeUndefined();
  });

  it('ends a session idle past idleMs, unless a call runs', () => {
    let now = 0;
    const sessions = new McpSessions({ idleMs: 1000, now: () => now });
    const idle = sessions.add((id) => fake(id, now))!;
    const working = sessions.add((id) => fake(id, now))!;
    working.running = true;
    now = 1001;
    expect(sessions.get(idle.id, 'streamable')).toBeUndefined();
    expect(idle.closed).toBe(true);
    expect(sessions.get(working.id, 'streamable')).toBe(working);
  });

  it('full: the session idle longest makes room; if every one has a call running, none is made', () => {
    let now = 0;
    const sessions = new McpSessions({ max: 2, now: () => now });
    const a = sessions.add((id) => fake(id, now++))!;
    const b = sessions.add((id) => fake(id, now++))!;
    const c = sessions.add((id) => fake(id, now++))!;
    expect(a.closed).toBe(true);
    expect(sessions.size).toBe(2);
    b.running = true;
    c.running = true;
    expect(sessions.add((id) => fake(id, now))).toBeNull();
    sessions.closeAll();
    expect([b.closed, c.closed, sessions.size]).toEqual([true, true, 0]);
  });

  it('session ids: 32 hex characters, never the same', () => {
    const ids = new Set(Array.from({ length: 100 }, randomSessionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});
