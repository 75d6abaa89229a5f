import { describe, expect, it } from 'vitest';
import { decodeWire, type WireMessage } from './llm-wire.ts';
import { providerApis, providerEncoder, type Finish, type ProviderApi, type ProviderMeta } from './provider-wire.ts';

const meta = (api: ProviderApi, stamps: boolean): ProviderMeta => ({
  api,
  id: api === 'responses' ? 'resp_lab1' : 'id1',
  model: 'm',
  created: 1,
  inputTokens: 2,
  includeUsage: true,
  stamps,
});

/** Everything one answer puts on the wire, decoded as the lab's page decodes it. */
function decoded(api: ProviderApi, stamps: boolean, finish: Finish): WireMessage[] {
  const encoder = providerEncoder(meta(api, stamps));
  const events = [
    ...encoder.open(),
    ...encoder.token('Hel', { seq: 1, t: 10 }),
    ...encoder.token('lo', { seq: 2, t: 11 }),
    ...encoder.close(finish, { seq: 3, t: 12 }),
  ];
  return events.map((e) => decodeWire(e.event ?? 'message', e.data));
}

const frames = (messages: WireMessage[]) => messages.flatMap((m) => (m.kind === 'frame' ? [[m.frame.seq, m.frame.kind, m.frame.data]] : []));

describe('provider streams as the lab’s page reads them', () => {
  it.each(providerApis)('%s with stamps: the tokens and the end as frames, everything else "other"', (api) => {
    const messages = decoded(api, true, 'stop');
    expect(frames(messages)).toEqual([
      [1, 'token', 'Hel'],
      [2, 'token', 'lo'],
      [3, 'end', ''],
    ]);
    expect(messages.filter((m) => m.kind !== 'frame').every((m) => m.kind === 'other' || m.kind === 'done')).toBe(true);
  });

  it.each(providerApis)('%s cut by the token cap still ends with an end frame', (api) => {
    expect(frames(decoded(api, true, 'length')).at(-1)).toEqual([3, 'end', '']);
  });

  it.each(providerApis)('%s: the provider’s mid-stream error is "failed" with its message', (api) => {
    const last = decoded(api, true, 'error').at(-1);
    expect(last).toEqual({ kind: 'failed', message: expect.stringMatching(/simulated by the lab/) as unknown });
  });

  it.each(providerApis)('%s without stamps (what a provider sends): the tokens cannot be placed, so they are "invalid"', (api) => {
    const messages = decoded(api, false, 'stop');
    expect(frames(messages)).toEqual([]);
    expect(messages.some((m) => m.kind === 'invalid')).toBe(true);
  });
});
