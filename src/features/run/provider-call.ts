/**
 * The fetch + SSE lane's request when it calls a provider-compatible path instead of POST /api/stream
 * (`api=chat|responses|messages`, llm only): the body a browser chat client of that provider sends,
 * and the lab headers that make the answer the one the other lanes get — the run's pace, length and
 * seed (`x-lab-params`), its run id for faults (`x-lab-run`), the lab's seq and t on each event
 * (`x-lab-stamps: 1`, or the lane could not measure latency or loss) and "Drop every N frames"
 * (`x-lab-fault: drop=N`; "Drop every N ms" has no provider equivalent and is not sent).
 */
import { PROVIDER_PATH, type ProviderApi } from '../../protocol/provider-wire.ts';
import type { ScenarioConfig } from '../../protocol/scenarios.ts';
import type { StreamOptions } from '../../protocol/stream-options.ts';

/** What the lane asks: any text works, the seed in x-lab-params decides the answer. */
export const PROVIDER_PROMPT = 'Why do LLM chat APIs stream over SSE?';

export interface ProviderCallRequest {
  url: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export function providerCall(api: ProviderApi, scenario: ScenarioConfig, options: StreamOptions, runId: string, origin: string): ProviderCallRequest {
  const { ttft, tps, tokens, seed } = scenario.params;
  const messages = [{ role: 'user', content: PROVIDER_PROMPT }];
  const body: Record<string, unknown> =
    api === 'chat' ? { model: 'gpt-lab', stream: true, messages }
    : api === 'responses' ? { model: 'gpt-lab', stream: true, input: PROVIDER_PROMPT }
    : { model: 'claude-lab', stream: true, max_tokens: tokens, messages };
  const params = new URLSearchParams({ ttft: String(ttft), tps: String(tps), tokens: String(tokens), seed: String(seed) });
  const headers: Record<string, string> = { 'x-lab-params': String(params), 'x-lab-run': runId, 'x-lab-stamps': '1' };
  if (options.flakyFrames > 0) headers['x-lab-fault'] = `drop=${options.flakyFrames}`;
  return { url: `${origin}${PROVIDER_PATH[api]}`, body, headers };
}
