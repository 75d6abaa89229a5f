import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.ts';
import { zh } from '../../i18n/zh.ts';
import { placeholders } from '../../i18n/translate.ts';
import { evaluateClaims, type ClaimId, type ClaimRow } from './claims.ts';
import { mergeEvidence, type Evidence } from './evidence.ts';

const row = (evidence: Evidence, id: ClaimId): ClaimRow => {
  const found = evaluateClaims(evidence).find((r) => r.id === id);
  if (!found) throw new Error(id);
  return found;
};

const agent = (verdict: 'supported' | 'refuted' | 'depends', modelled: boolean): NonNullable<Evidence['agent']> => ({
  verdict,
  against: 'eventsource',
  wsTurnMs: 121,
  httpTurnMs: 147,
  savedMsPerTurn: 26,
  savedBytesPerTurn: 536,
  httpRequests: 21,
  wsRequests: 1,
  turns: 20,
  modelled,
});

const pressure = (verdict: 'supported' | 'refuted' | 'depends', why: NonNullable<Evidence['backpressure']>['why']): NonNullable<Evidence['backpressure']> => ({
  verdict,
  why,
  values: { wsQueue: 1227, wssQueue: 1, wsSlope: 612.4, wssSlope: 3.2, senderPausedMs: 18_200 },
});

const overhead = (payload: number, sse: number, ws: number): Evidence => ({
  overhead: {
    scenario: 'ticker',
    payloadPerFrame: payload,
    sse: { framingPerFrame: sse, framingPct: (sse / payload) * 100, socketPerFrame: sse + 6 },
    ws: { framingPerFrame: ws, framingPct: (ws / payload) * 100, socketPerFrame: ws },
    handshakeBytes: { sse: 420, ws: 480 },
    simulated: false,
  },
});

describe('evaluateClaims', () => {
  it('has the seven table rows and eight LLM rows, none judged before anything was measured', () => {
    const rows = evaluateClaims({});
    expect(rows.filter((r) => r.group === 'table')).toHaveLength(7);
    expect(rows.filter((r) => r.group === 'llm')).toHaveLength(8);
    for (const r of rows) expect([r.measured, r.verdict, r.why], r.id).toEqual([null, null, null]);
  });

  it('every measured text and reason uses only values the row supplies, in both languages', () => {
    const everything: Evidence = {
      ...overhead(70, 14, 2),
      handshake: { wsRequestLine: 'GET /api/ws HTTP/1.1', wsStatusLine: 'HTTP/1.1 101 Switching Protocols', wsUpgrade: 'websocket', sseStatusLine: 'HTTP/1.1 200 OK', sseContentType: 'text/event-stream', simulated: false },
      reconnect: {
        eventsource: { reconnects: 3, delivered: 400, lost: 0, medianDowntimeMs: 1040, failed: false },
        fetch: { reconnects: 0, delivered: 100, lost: 0, medianDowntimeMs: null, failed: true, resumeOn: false },
        websocket: { reconnects: 3, delivered: 400, lost: 0, medianDowntimeMs: 210, failed: false },
      },
      binary: { size: 1024, wsPayloadPerFrame: 1037, ssePayloadPerFrame: 1384, ratio: 1384 / 1037 },
      chat: { sent: 10, ws: { answered: 10, rttP50: 5, requests: 0, bytes: 900, connections: 0 }, sse: { answered: 10, rttP50: 7, requests: 10, bytes: 7000, connections: 2 } },
      llm: { lanes: [{ kind: 'eventsource', ttftMs: 610, tokensPerSecond: 33.9 }, { kind: 'websocket', ttftMs: 612, tokensPerSecond: 33.8 }] },
      limit: { protocol: 'http/1.1', requested: 8, sseOpen: 6, wsOpen: 8, fetchProbe: 'pending' },
      origin: { wsBrowser: 'failed', wsServerStatus: 'HTTP/1.1 403 Forbidden', sseBrowser: 'failed', sseServerStatus: 'HTTP/1.1 200 OK', sseAllowOrigin: null },
      memory: { connections: 200, sseBytes: 9000, wsBytes: 8000 },
      parse: { payloadBytes: 150, sseMicros: 2.5, wsMicros: 0.8 },
      mcp: {
        drop: 2,
        streamable: { received: true, resumes: 3, progress: 6, expected: 6, repeated: 0 },
        legacy: { received: false, progress: 1, expected: 6 },
      },
      agent: agent('depends', false),
      backpressure: pressure('supported', 'supported'),
    };
    for (const r of evaluateClaims(everything)) {
      expect(r.verdict, r.id).not.toBeNull();
      for (const text of [r.measured, r.why]) {
        if (!text) throw new Error(`${r.id} has no text`);
        const supplied = Object.keys(text.vars ?? {}).sort();
        for (const dict of [en, zh]) {
          for (const name of placeholders(dict[text.key])) expect(supplied, `${r.id} ${text.key} {${name}}`).toContain(name);
        }
      }
    }
  });

  it('connection overhead: the measured value follows the frame size, and the verdict follows the bytes', () => {
    const small = row(overhead(70, 14, 2), 'overhead');
    const large = row(overhead(1100, 16, 4), 'overhead');
    expect(small.measured?.vars).toMatchObject({ payload: '70', sse: '14', ws: '2.0' });
    expect(large.measured?.vars).toMatchObject({ payload: '1100', ssePct: '1.5 %' });
    expect(small.verdict).toBe('refuted');
    expect(row(overhead(70, 2, 4), 'overhead').verdict).toBe('supported');
  });

  it('max connections: refuted when EventSources hit the pool, "it depends" when HTTP/2 opens them all', () => {
    const h1: Evidence = { limit: { protocol: 'http/1.1', requested: 8, sseOpen: 6, wsOpen: 8, fetchProbe: 'pending' } };
    const h2: Evidence = { limit: { protocol: 'h2', requested: 8, sseOpen: 8, wsOpen: 8, fetchProbe: 'answered' } };
    expect(row(h1, 'connections').verdict).toBe('refuted');
    expect(row(h2, 'connections').verdict).toBe('depends');
    expect(row(h1, 'llm-pool').verdict).toBe('refuted');
    expect(row(h2, 'llm-pool').verdict).toBe('supported');
  });

  it('reconnect: EventSource alone supports it; fetch + SSE not reconnecting makes it depend; an HTTP error too', () => {
    const es = { reconnects: 2, delivered: 300, lost: 0, medianDowntimeMs: 1000, failed: false };
    expect(row({ reconnect: { eventsource: es, fetch: null, websocket: null } }, 'reconnect').verdict).toBe('supported');
    const withFetch: Evidence = { reconnect: { eventsource: es, fetch: { ...es, reconnects: 0, failed: true, resumeOn: false }, websocket: null } };
    expect(row(withFetch, 'reconnect').verdict).toBe('depends');
    expect(row(withFetch, 'llm-reliable').verdict).toBe('refuted');
    expect(row({ reconnect: { eventsource: { ...es, failed: true }, fetch: null, websocket: null } }, 'reconnect').why?.key).toBe('claims.why.reconnect.gaveUp');
  });

  it('memory: both transports hold state per connection; the ratio decides how strongly', () => {
    expect(row({ memory: { connections: 200, sseBytes: 9000, wsBytes: 8000 } }, 'llm-memory').verdict).toBe('refuted');
    expect(row({ memory: { connections: 200, sseBytes: 1000, wsBytes: 8000 } }, 'llm-memory').verdict).toBe('depends');
  });

  it('data format, CORS, parsing and one-way streams are judged from their numbers', () => {
    expect(row({ binary: { size: 1024, wsPayloadPerFrame: 1037, ssePayloadPerFrame: 1384, ratio: 1.335 } }, 'format')).toMatchObject({
      verdict: 'supported',
      why: { vars: { more: '33.5 %' } },
    });
    const origin = { wsBrowser: 'failed', wsServerStatus: 'HTTP/1.1 403 Forbidden', sseBrowser: 'failed', sseServerStatus: 'HTTP/1.1 200 OK', sseAllowOrigin: null } as const;
    expect(row({ origin }, 'cors').verdict).toBe('depends');
    expect(row({ origin: { ...origin, wsBrowser: 'opened', wsServerStatus: 'HTTP/1.1 101 Switching Protocols' } }, 'cors').verdict).toBe('refuted');
    expect(row({ parse: { payloadBytes: 150, sseMicros: 2, wsMicros: 1 } }, 'llm-parse').verdict).toBe('refuted');
    expect(row({ parse: { payloadBytes: 150, sseMicros: 1, wsMicros: 2 } }, 'llm-parse').verdict).toBe('supported');
    const even = { lanes: [{ kind: 'eventsource', ttftMs: 600, tokensPerSecond: 34 }, { kind: 'websocket', ttftMs: 605, tokensPerSecond: 33.5 }] } as const;
    expect(row({ llm: { lanes: [...even.lanes] } }, 'llm-one-way')).toMatchObject({
      verdict: 'supported',
      measured: { vars: { lanes: 'EventSource 600 ms / 34.0/s · WebSocket 605 ms / 33.5/s' } },
    });
    expect(row({ llm: { lanes: [even.lanes[0], { ...even.lanes[1], ttftMs: 2000 }] } }, 'llm-one-way').verdict).toBe('depends');
  });
});

describe('mergeEvidence', () => {
  it('keeps what a later run did not measure and replaces what it did', () => {
    const first = mergeEvidence({}, overhead(70, 14, 2));
    const second = mergeEvidence(first, { parse: { payloadBytes: 1, sseMicros: 1, wsMicros: 1 }, overhead: undefined });
    expect(second.overhead?.payloadPerFrame).toBe(70);
    expect(mergeEvidence(second, overhead(500, 15, 4)).overhead?.payloadPerFrame).toBe(500);
  });
});

describe('MCP streams over SSE, so SSE won', () => {
  const mcp = (drop: number, streamable: boolean, legacy: boolean): Evidence => ({
    mcp: {
      drop,
      streamable: { received: streamable, resumes: drop > 0 ? 3 : 0, progress: 6, expected: 6, repeated: 0 },
      legacy: { received: legacy, progress: legacy ? 6 : 1, expected: 6 },
    },
  });

  it('depends: with a cut, Streamable HTTP resumed and HTTP+SSE lost the call — the transport, not SSE, made the difference', () => {
    const r = row(mcp(2, true, false), 'mcp-sse');
    expect(r.verdict).toBe('depends');
    expect(r.why?.key).toBe('claims.why.mcpSse.cut');
    expect(r.measured?.vars).toMatchObject({ drop: 2, resumes: 3, progress: 6, expected: 6, legacy: 1 });
  });

  it('depends, and asks for the cut, when both transports delivered', () => {
    expect(row(mcp(0, true, true), 'mcp-sse').why?.key).toBe('claims.why.mcpSse.nocut');
  });
});

describe('many-turn agent loops go faster over one WebSocket', () => {
  it('takes the verdict of the agent rule, names the lane compared with, and says when a modelled cost is in the numbers', () => {
    const measured = row({ agent: agent('supported', false) }, 'agent-loop');
    expect(measured.verdict).toBe('supported');
    expect(measured.why?.key).toBe('claims.why.agentLoop.supported');
    expect(measured.measured).toMatchObject({ key: 'claims.m.agentLoop', vars: { ws: '121 ms', lane: 'EventSource', http: '147 ms', bytes: 536, requests: 21, wsRequests: 1 } });
    expect(row({ agent: agent('supported', true) }, 'agent-loop').measured?.key).toBe('claims.m.agentLoopModelled');
    expect(row({ agent: agent('depends', false) }, 'agent-loop').why?.key).toBe('claims.why.agentLoop.depends');
  });
});

describe('the browser’s WebSocket applies TCP’s backpressure', () => {
  it('is refuted when WebSocket queued in the page while WebSocketStream pushed back and its sender paused', () => {
    const r = row({ backpressure: pressure('supported', 'supported') }, 'backpressure');
    expect(r.verdict).toBe('refuted');
    expect(r.measured?.vars).toMatchObject({ wsQueue: 1227, wsSlope: 612, wssQueue: 1, wssSlope: 3, paused: '18.2' });
  });

  it('depends, with the rule’s reason, when the run could not show it', () => {
    for (const why of ['kept-up', 'buffers-filling', 'ws-steady', 'no-sender-log'] as const) {
      expect(row({ backpressure: pressure('depends', why) }, 'backpressure').why?.key).toBe(`claims.why.backpressure.${why}`);
    }
    expect(row({ backpressure: pressure('refuted', 'sender-never-paused') }, 'backpressure')).toMatchObject({ verdict: 'depends', why: { key: 'claims.why.backpressure.sender-never-paused' } });
  });
});
