import { describe, expect, it } from 'vitest';
import { detectServedMode, labServerName } from './served-mode.ts';

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

describe('detectServedMode', () => {
  it('is Live where the lab server answers /api/info', async () => {
    expect(await detectServedMode(() => json({ name: labServerName, version: '1', scenarios: [] }))).toBe('live');
  });

  it('asks GET /api/info on the page’s own origin', async () => {
    const asked: string[] = [];
    await detectServedMode((input) => {
      asked.push(String(input));
      return json({ name: labServerName, scenarios: [] });
    });
    expect(asked).toEqual(['/api/info']);
  });

  it('is Mock on a static host: 404, an SPA fallback page, another JSON, or no answer', async () => {
    expect(await detectServedMode(() => json({ error: 'no' }, 404))).toBe('mock');
    expect(
      await detectServedMode(() => Promise.resolve(new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }))),
    ).toBe('mock');
    expect(await detectServedMode(() => json({ name: 'something-else', scenarios: [] }))).toBe('mock');
    expect(await detectServedMode(() => json({ name: labServerName }))).toBe('mock');
    expect(await detectServedMode(() => Promise.reject(new TypeError('Failed to fetch')))).toBe('mock');
  });

  it('gives up after the timeout', async () => {
    const hang = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    expect(await detectServedMode(hang, 20)).toBe('mock');
  });
});
