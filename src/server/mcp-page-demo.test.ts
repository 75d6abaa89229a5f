/**
 * The page's MCP demo client (src/features/mcp/mcp-demo.ts) against the live server: over Streamable
 * HTTP a cut stream is resumed with Last-Event-ID and every progress notification arrives once; over
 * the deprecated HTTP+SSE the same cut loses the call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runLegacy, runStreamable } from '../features/mcp/mcp-demo.ts';
import { runCleanups, startLab } from './test-support.ts';

afterEach(runCleanups);

describe('the page’s MCP demo against the live server', () => {
  it('Streamable HTTP without a cut: JSON for initialize, 202 for the notification, one SSE answer with every progress and the result', async () => {
    const lab = await startLab();
    const report = await runStreamable({ origin: lab.http, drop: 0, steps: 4, intervalMs: 10 });
    expect(report.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(report.revision).toBe('2025-11-25');
    expect(report.exchanges.map((e) => `${e.method} ${e.what} ${e.status} ${e.answer}`)).toEqual([
      'POST initialize 200 json',
      'POST notifications/initialized 202 none',
      'POST tools/call count 200 sse',
      'DELETE session 204 none',
    ]);
    expect(report.progress).toEqual({ received: 4, repeated: 0, expected: 4 });
    expect(report.result).toBe('received');
    expect(report.resumes).toBe(0);
  });

  it('Streamable HTTP with drop=2: the stream is cut, resumed by GET with Last-Event-ID, nothing lost or repeated', async () => {
    const lab = await startLab();
    const report = await runStreamable({ origin: lab.http, drop: 2, steps: 5, intervalMs: 10 });
    expect(report.resumes).toBeGreaterThanOrEqual(2);
    expect(report.exchanges[2]).toMatchObject({ what: 'tools/call count', answer: 'sse', ended: 'cut' });
    const resumes = report.exchanges.filter((e) => e.what === 'resume');
    expect(resumes.every((e) => e.method === 'GET' && e.status === 200 && /^\d+-\d+$/.test(e.lastEventId ?? ''))).toBe(true);
    expect(report.progress).toEqual({ received: 5, repeated: 0, expected: 5 });
    expect(report.result).toBe('received');
  });

  it('HTTP+SSE: the endpoint event, 202s, answers on the GET stream; with a cut the call is lost', async () => {
    const lab = await startLab();
    const clean = await runLegacy({ origin: lab.http, drop: 0, steps: 3, intervalMs: 10 });
    expect(clean.exchanges.map((e) => `${e.method} ${e.what} ${e.status}`)).toEqual([
      'GET stream 200',
      'POST initialize 202',
      'POST notifications/initialized 202',
      'POST tools/call count 202',
    ]);
    expect(clean.progress).toEqual({ received: 3, repeated: 0, expected: 3 });
    expect(clean.result).toBe('received');

    const cut = await runLegacy({ origin: lab.http, drop: 3, steps: 5, intervalMs: 10, waitMs: 1_000 });
    expect(cut.exchanges[0]).toMatchObject({ what: 'stream', ended: 'cut' });
    expect(cut.result).toBe('lost');
    expect(cut.progress.received).toBeLessThan(5);
  });
});
