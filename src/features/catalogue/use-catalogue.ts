/**
 * The scenario catalogue: from the live server's /api/info in Live mode (through react-query), from
 * the engine itself in Mock mode. Both come from the same definitions; Live proves the server is up.
 */
import { useQuery } from '@tanstack/react-query';
import { scenarioCatalogue, type ScenarioSpec } from '../../protocol/scenarios.ts';
import type { Mode } from '../run/use-run.ts';

export interface Catalogue {
  scenarios: readonly ScenarioSpec[];
  source: 'engine' | 'server';
  loading: boolean;
  error: string | null;
}

function isCatalogue(value: unknown): value is { scenarios: ScenarioSpec[] } {
  if (typeof value !== 'object' || value === null) return false;
  const list = (value as { scenarios?: unknown }).scenarios;
  return (
    Array.isArray(list) &&
    list.every(
      (s: unknown) =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as { name?: unknown }).name === 'string' &&
        Array.isArray((s as { params?: unknown }).params),
    )
  );
}

async function fetchInfo(): Promise<{ scenarios: ScenarioSpec[] }> {
  let response: Response;
  try {
    response = await fetch('/api/info', { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new Error(`cannot reach /api/info (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new Error(`/api/info answered ${response.status} ${response.statusText}`);
  const body: unknown = await response.json().catch(() => null);
  if (!isCatalogue(body)) throw new Error('/api/info did not answer with a scenario catalogue');
  return body;
}

export function useCatalogue(mode: Mode): Catalogue {
  const live = useQuery({
    queryKey: ['api-info'],
    queryFn: fetchInfo,
    enabled: mode === 'live',
    retry: 1,
    staleTime: 60_000,
  });
  const engine = scenarioCatalogue().scenarios;
  if (mode === 'mock') return { scenarios: engine, source: 'engine', loading: false, error: null };
  return {
    scenarios: live.data?.scenarios ?? engine,
    source: live.data ? 'server' : 'engine',
    loading: live.isPending,
    error: live.error ? live.error.message : null,
  };
}
