import { describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_ADDRESS, MAX_STREAMS_TOTAL } from '../protocol/limits.ts';
import { StreamLimits } from './stream-limits.ts';

describe('StreamLimits', () => {
  it('defaults to the published limits', () => {
    const limits = new StreamLimits(() => 0);
    expect([limits.perAddress, limits.total]).toEqual([MAX_STREAMS_PER_ADDRESS, MAX_STREAMS_TOTAL]);
  });

  it('per address: held streams count until released; a release twice counts once', () => {
    const limits = new StreamLimits(() => 0, { perAddress: 2, total: 100 });
    const a = limits.hold('a');
    limits.hold('a');
    expect(limits.refusal('a')).toContain('MAX_STREAMS_PER_ADDRESS');
    expect(limits.refusal('b')).toBeNull();
    a();
    a();
    expect(limits.heldBy('a')).toBe(1);
    expect(limits.refusal('a')).toBeNull();
  });

  it('in total: whatever the address, once the open streams reach the limit', () => {
    let open = 4;
    const limits = new StreamLimits(() => open, { perAddress: 100, total: 5 });
    expect(limits.refusal('x')).toBeNull();
    open = 5;
    expect(limits.refusal('x')).toBe('the server has 5 streams open, its limit (MAX_STREAMS_TOTAL); try again later');
  });
});
