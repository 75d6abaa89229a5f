/**
 * The scenario catalogue: from the live server's /api/info in Live mode (through react-query), from
 * the engine itself in Mock mode. Both come from the same definitions; Live proves the server is up.
 */
import { useQuery } from '@tanstack/react-query';
import { scenarioCatalogue, type ScenarioSpec } from '../../protocol/scenarios.ts';
import { isLabApiError, type LabInfo } from '../../lib/lab-api.ts';
import { labApi, type Mode } from '../../lib/mode.ts';
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

/** The lab API's failure, in the catalogue's words. */
function catalogueError(error: unknown): LocalText {
  if (isLabApiError(error) && error.code === 'http') {
    return { key: 'catalogue.error.status', vars: { status: error.status ?? 0, statusText: error.statusText } };
  }
  if (isLabApiError(error) && error.code === 'answer') return { key: 'catalogue.error.shape' };
  return { key: 'catalogue.error.unreachable', vars: { error: error instanceof Error ? error.message : String(error) } };
}

async function fetchInfo(): Promise<LabInfo> {
  try {
    return await labApi('live').info();
  } catch (error) {
    throw new CatalogueError(catalogueError(error));
  }
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
