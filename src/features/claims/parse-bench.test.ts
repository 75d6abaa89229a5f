import { describe, expect, it } from 'vitest';
import { measureParseCost } from './parse-bench.ts';

describe('measureParseCost', () => {
  it('parses every frame on both paths and reports a cost per frame', () => {
    const cost = measureParseCost(100, 500, 2);
    expect(cost.frames).toBe(500);
    expect(cost.payloadBytes).toBeGreaterThan(100);
    expect(cost.sseMicros).toBeGreaterThan(0);
    expect(cost.wsMicros).toBeGreaterThan(0);
  });
});
