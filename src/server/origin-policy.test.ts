import { describe, expect, it } from 'vitest';
import { checkOrigin, parseAllowedOrigins } from './origin-policy.ts';

describe('checkOrigin', () => {
  it('allows the page of the same host and port, and a client that sends no Origin', () => {
    expect(checkOrigin('http://127.0.0.1:4173', '127.0.0.1:4173')).toEqual({ ok: true });
    expect(checkOrigin('HTTPS://Lab.Example', 'lab.example')).toEqual({ ok: true });
    expect(checkOrigin(undefined, 'lab.example')).toEqual({ ok: true });
  });

  it('refuses another host, another port and the opaque "null" origin, saying why', () => {
    for (const origin of ['http://localhost:4173', 'http://127.0.0.1:9999', 'null']) {
      const verdict = checkOrigin(origin, '127.0.0.1:4173');
      expect(verdict.ok, origin).toBe(false);
    }
    expect(checkOrigin('https://evil.example', 'lab.example')).toEqual({
      ok: false,
      reason: expect.stringContaining('https://evil.example refused'),
    });
  });

  it('allows listed origins, as written in LAB_ALLOWED_ORIGINS', () => {
    const allowed = parseAllowedOrigins(' https://a.example/, http://b.example:8080 ,,');
    expect(allowed).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(checkOrigin('https://a.example', 'lab.example', allowed)).toEqual({ ok: true });
    expect(checkOrigin('http://b.example:8080', 'lab.example', allowed)).toEqual({ ok: true });
    expect(checkOrigin('http://b.example', 'lab.example', allowed).ok).toBe(false);
  });
});
