/**
 * Integration tests of faults with target fetch (drop, http-error, outage) on POST /api/stream, next
 * to the SSE GET stream they must leave alone: the real lab server on node:http, Node's fetch as the
 * client. No fake timers and no fixed sleeps: every wait is on an event or a polled condition.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENDLESS, post, readPost, TICKER_BODY } from './stream-post-support.ts';
import { errorOf, expectQuiet, postFault, range, runCleanups, seqs, SseStream, startLab } from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

// ---------------------------------------------------------------------------------------------------

describe('faults with target fetch', () => {
  it('a drop cuts only the POST streams; the SSE GET stream of the same run goes on', async () => {
    const { http, lab } = await startLab();
    const posted = await SseStream.post(`${http}/api/stream`, { ...ENDLESS, run: 'r1' });
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=200&count=0&run=r1`);
    await posted.until((s) => s.frames.length >= 3, 'three POST frames');
    await got.until((s) => s.frames.length >= 3, 'three GET frames');
    expect(lab.stats().open).toEqual({ sse: 1, fetch: 1, ws: 0 });

    expect((await postFault(http, { action: 'drop', target: 'fetch', run: 'r1' })).body).toEqual({ ok: true, dropped: 1 });
    await posted.finished;
    expect(posted.failed).toBe(true);
    expect(posted.done).toBeNull();
    const last = Number(posted.events[posted.events.length - 1].id);
    expect(seqs(posted.frames)).toEqual(range(1, last));

    const seen = got.frames.length;
    await got.until((s) => s.frames.length >= seen + 5, 'GET frames after the drop');
    expect(got.ended).toBe(false);
    expect(seqs(got.frames)).toEqual(range(1, got.frames.length));
    expect(lab.stats().dropped).toEqual({ sse: 0, fetch: 1, ws: 0 });
    expect(lab.stats().open).toEqual({ sse: 1, fetch: 0, ws: 0 });

    // Last-Event-ID picks the POST stream up at the next frame.
    const resumed = await SseStream.post(`${http}/api/stream`, { ...ENDLESS, run: 'r1' }, { 'Last-Event-ID': String(last) });
    await resumed.until((s) => s.frames.length >= 3, 'frames after the resume');
    expect(seqs(resumed.frames).slice(0, 3)).toEqual(range(last + 1, last + 3));

    got.abort();
    resumed.abort();
    await expectQuiet(lab);
  });

  it('a drop for sse leaves the POST streams alone; one for all cuts both', async () => {
    const { http, lab } = await startLab();
    const posted = await SseStream.post(`${http}/api/stream`, ENDLESS);
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=200&count=0`);
    await posted.until((s) => s.frames.length >= 2, 'two POST frames');

    expect((await postFault(http, { action: 'drop', target: 'sse' })).body).toEqual({ ok: true, dropped: 1 });
    await got.finished;
    const seen = posted.frames.length;
    await posted.until((s) => s.frames.length >= seen + 5, 'POST frames after the SSE drop');

    expect((await postFault(http, { action: 'drop' })).body).toEqual({ ok: true, dropped: 1 });
    await posted.finished;
    expect(posted.failed).toBe(true);
    expect(lab.stats().dropped).toEqual({ sse: 1, fetch: 1, ws: 0 });
    await expectQuiet(lab);
  });

  it('http-error with target fetch hits only the next POST stream', async () => {
    const { http, lab } = await startLab();
    expect((await postFault(http, { action: 'http-error', status: 500, target: 'fetch' })).status).toBe(200);

    // A GET stream does not take it.
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=3`);
    await got.finished;
    expect(seqs(got.frames)).toEqual([1, 2, 3]);

    const hit = await post(`${http}/api/stream`, TICKER_BODY);
    expect(hit.status).toBe(500);
    expect(errorOf(hit.body)).toBe('simulated HTTP 500');

    const next = await readPost(`${http}/api/stream`, TICKER_BODY);
    expect(seqs(next.frames)).toEqual(range(1, 30));
    expect(lab.stats().refused).toEqual({ sse: 0, fetch: 1, ws: 0 });
    await expectQuiet(lab);
  });

  it('an http-error without target is for the SSE GET stream, not for POST', async () => {
    const { http, lab } = await startLab();
    await postFault(http, { action: 'http-error', status: 404 });
    const posted = await readPost(`${http}/api/stream`, TICKER_BODY);
    expect(posted.done).toEqual({ type: 'done', total: 30 });
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1`)).status).toBe(404);
    expect(lab.stats().refused).toEqual({ sse: 1, fetch: 0, ws: 0 });
  });

  it('http-error content-type answers the POST 200 text/plain', async () => {
    const { http } = await startLab();
    await postFault(http, { action: 'http-error', status: 'content-type', target: 'fetch' });
    const res = await fetch(`${http}/api/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(TICKER_BODY),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('not an event stream');
  });

  it('an outage for fetch answers POST 503 while GET streams', async () => {
    const { http, lab } = await startLab();
    await postFault(http, { action: 'outage', mode: '503', ms: 60_000, target: 'fetch' });
    const refused = await post(`${http}/api/stream`, TICKER_BODY);
    expect(refused.status).toBe(503);
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1`)).status).toBe(200);
    expect(lab.stats().refused).toEqual({ sse: 0, fetch: 1, ws: 0 });
    await postFault(http, { action: 'clear' });
    expect((await readPost(`${http}/api/stream`, TICKER_BODY)).done).toEqual({ type: 'done', total: 30 });
  });
});
