/**
 * The scenario catalogue: from the live server's /api/info in Live mode (through react-query), from
 * the engine itself in Mock mode. Both come from the same definitions; Live proves the server is up.
 */
import { useQuery } from '@tanstack/react-query';
import { scenarioCatalogue, type ScenarioSpec } from '../../protocol/scenarios.ts';
import type { Mode } from '../run/use-run.ts';
import { textIn, type LocalText } from '../../i18n/local-text.ts';
import type { Lang } from '../../i18n/translate.ts';

/** Why the catalogue could not be read, by key: translated when shown, in whatever language is on then. */
class CatalogueError extends Error {
  constructor(readonly text: LocalText) {
    super(textIn('en', text));
  }
}

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
    throw new CatalogueError({
      key: 'catalogue.error.unreachable',
      vars: { error: error instanceof Error ? error.message : String(error) },
    });
  }
  if (!response.ok) {
    throw new CatalogueError({
      key: 'catalogue.error.status',
      vars: { status: response.status, statusText: response.statusText },
    });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!isCatalogue(body)) throw new CatalogueError({ key: 'catalogue.error.shape' });
  return body;
}

function errorText(error: Error, lang: Lang): string {
  return error instanceof CatalogueError ? textIn(lang, error.text) : error.message;
}

/** `lang`: the language of `error`. */
export function useCatalogue(mode: Mode, lang: Lang = 'en'): Catalogue {
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
    error: live.error ? errorText(live.error, lang) : null,
  };
}
