/**
 * The session's evidence for the claims table, derived on render: the run on screen adds what its
 * scenario measured (so the table fills as you watch), earlier runs keep what they measured (the App
 * folds a run into `past` when the next one starts), and each probe adds its latest result.
 */
import { useMemo } from 'react';
import type { ScenarioConfig } from '../../protocol/scenarios.ts';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import type { ConnectionLimitResult } from '../conn-limit/use-connection-limit.ts';
import type { OriginDemoState } from '../inspector/use-origin-demo.ts';
import type { McpDemoState } from '../mcp/use-mcp-demo.ts';
import type { RunSnapshot } from '../run/run-session.ts';
import { mergeEvidence, runEvidence, type Evidence } from './evidence.ts';
import type { ParseCost } from './parse-bench.ts';
import type { MemoryProbeState } from './use-memory-probe.ts';

export interface RunOnScreen {
  scenario: ScenarioConfig;
  fetchResume: boolean;
  /** The run id that was on screen when this run started: until it changes, the snapshot is stale. */
  replaces: string | null;
}

export interface EvidenceInputs {
  past: Evidence;
  run: RunOnScreen | null;
  snapshot: RunSnapshot | null;
  records: readonly StreamRecord[];
  limit: ConnectionLimitResult | null;
  origin: OriginDemoState;
  memory: MemoryProbeState;
  parse: ParseCost | null;
  mcp: McpDemoState;
}

/** What the run on screen has measured so far. */
export function currentRunEvidence(run: RunOnScreen | null, snapshot: RunSnapshot | null, records: readonly StreamRecord[]): Evidence {
  if (!run || !snapshot || snapshot.runId === run.replaces) return {};
  const mine = records.filter((r) => r.run === snapshot.runId);
  return runEvidence(run.scenario, snapshot.lanes, mine, run.fetchResume);
}

export function probeEvidence({ limit, origin, memory, parse, mcp }: Pick<EvidenceInputs, 'limit' | 'origin' | 'memory' | 'parse' | 'mcp'>): Evidence {
  const out: Evidence = {};
  if (limit) {
    out.limit = {
      protocol: limit.protocol,
      requested: limit.requested,
      sseOpen: limit.sseOpen,
      wsOpen: limit.wsOpen,
      fetchProbe: limit.fetchProbe.state,
    };
  }
  if (origin.phase === 'done') {
    out.origin = {
      wsBrowser: origin.ws.browser,
      wsServerStatus: origin.ws.serverStatus,
      sseBrowser: origin.sse.browser,
      sseServerStatus: origin.sse.serverStatus,
      sseAllowOrigin: origin.sse.serverDetail,
    };
  }
  if (memory.phase === 'done') {
    const { result } = memory;
    out.memory = { connections: result.connections, sseBytes: result.sse.bytesPerConnection, wsBytes: result.ws.bytesPerConnection };
  }
  if (parse) out.parse = { payloadBytes: parse.payloadBytes, sseMicros: parse.sseMicros, wsMicros: parse.wsMicros };
  if (mcp.phase === 'done') {
    const { streamable: s, legacy: l } = mcp;
    out.mcp = {
      drop: mcp.drop,
      streamable: { received: s.result === 'received', resumes: s.resumes, progress: s.progress.received, expected: s.progress.expected, repeated: s.progress.repeated },
      legacy: { received: l.result === 'received', progress: l.progress.received, expected: l.progress.expected },
    };
  }
  return out;
}

export function useEvidence({ past, run, snapshot, records, limit, origin, memory, parse, mcp }: EvidenceInputs): {
  evidence: Evidence;
  /** The run on screen's part alone (fold it into `past` when the next run starts). */
  current: Evidence;
} {
  const computed = useMemo(() => currentRunEvidence(run, snapshot, records), [run, snapshot, records]);
  // A new snapshot every 200 ms mostly measures the same: keep the same object until a value changes,
  // so the claims table does not re-render for nothing.
  const key = JSON.stringify(computed);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const current = useMemo(() => computed, [key]);
  const probes = useMemo(() => probeEvidence({ limit, origin, memory, parse, mcp }), [limit, origin, memory, parse, mcp]);
  const evidence = useMemo(() => mergeEvidence(mergeEvidence(past, current), probes), [past, current, probes]);
  return { evidence, current };
}
