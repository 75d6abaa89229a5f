import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_FRAMES_PER_POLL, PollBuffer } from './poll-buffer.ts';
import { parseScenarioQuery } from './scenarios.ts';
import { MAX_POLL_ANSWER_BYTES, MAX_POLL_BUFFERED_BYTES, MAX_POLL_BUFFERED_FRAMES } from './limits.ts';

const buffers: PollBuffer[] = [];
afterEach(() => {
  for (const b of buffers.splice(0)) b.stop();
});

function buffer(params: Record<string, number>): PollBuffer {
  const config = parseScenarioQuery(new URLSearchParams({ scenario: 'ticker', count: '0', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) }));
  if (!config.ok) throw new Error(config.error);
  const b = new PollBuffer(config.value, Date.now());
  buffers.push(b);
  return b;
}

describe('PollBuffer limits', { timeout: 20_000 }, () => {
  it('keeps at most MAX_POLL_BUFFERED_BYTES of big frames; a late poller sees the gap', async () => {
    const b = buffer({ rate: 2_000, size: 65_536 });
    await vi.waitFor(() => expect(b.take(0).frames.at(-1)?.seq ?? 0).toBeGreaterThan(200), { timeout: 5_000 });
    expect(b.buffered.bytes).toBeLessThanOrEqual(MAX_POLL_BUFFERED_BYTES);
    // The oldest went first: seq 1 is gone, and what is kept is contiguous.
    const answer = b.take(0);
    expect(answer.frames[0].seq).toBeGreaterThan(1);
    answer.frames.forEach((f, i) => expect(f.seq).toBe(answer.frames[0].seq + i));
  });

  it('answers at most MAX_POLL_ANSWER_BYTES per poll (at least one frame)', async () => {
    const b = buffer({ rate: 2_000, size: 65_536 });
    await vi.waitFor(() => expect(b.buffered.frames).toBeGreaterThan(20), { timeout: 5_000 });
    const answer = b.take(0);
    const bytes = answer.frames.reduce((sum, f) => sum + f.data.length, 0);
    expect(answer.frames.length).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(MAX_POLL_ANSWER_BYTES);
  });

  it('keeps at most MAX_POLL_BUFFERED_FRAMES small frames and answers at most MAX_FRAMES_PER_POLL', async () => {
    const b = buffer({ rate: 20_000, size: 16 });
    await vi.waitFor(() => expect(b.take(0).frames.at(-1)?.seq ?? 0).toBeGreaterThan(MAX_POLL_BUFFERED_FRAMES + 100), {
      timeout: 10_000,
      interval: 50,
    });
    expect(b.buffered.frames).toBeLessThanOrEqual(MAX_POLL_BUFFERED_FRAMES);
    expect(b.take(0).frames.length).toBe(MAX_FRAMES_PER_POLL);
  });
});
