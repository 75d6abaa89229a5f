import { describe, expect, it } from 'vitest';
import {
  checkOrigin,
  hostAllowed,
  hostnameOf,
  mergeAllowedHosts,
  parseAllowedHosts,
  parseAllowedOrigins,
} from './origin-policy.ts';

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

describe('hostAllowed (like Vite\'s allowedHosts)', () => {
  it('allows localhost, *.localhost and IP addresses (v4, bracketed v6) with or without a port', () => {
    for (const host of [
      'localhost',
      'localhost:4173',
      'LOCALHOST',
      'lab.localhost:5173',
      '127.0.0.1',
      '192.168.1.20:4173',
      '[::1]',
      '[::1]:4173',
      '[fe80::1]:80',
    ]) {
      expect(hostAllowed(host, []), host).toBe(true);
    }
  });

  it('refuses any other name, a malformed Host, and a bare IPv6 or bad port', () => {
    for (const host of [
      'evil.example',
      'evil.example:4173',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      'evillocalhost',
      '',
      '[::1',
      '[nope]:80',
      '[::1]x',
      'localhost:80x',
      '::1',
      '999.1.1.1',
    ]) {
      expect(hostAllowed(host, []), host).toBe(false);
    }
  });

  it('allows listed names; a leading dot allows the domain and its subdomains; true allows any', () => {
    expect(hostAllowed('lab.example:4173', ['lab.example'])).toBe(true);
    expect(hostAllowed('LAB.example', ['lab.EXAMPLE'])).toBe(true);
    expect(hostAllowed('www.lab.example', ['lab.example'])).toBe(false);
    expect(hostAllowed('lab.example', ['.lab.example'])).toBe(true);
    expect(hostAllowed('a.b.lab.example', ['.lab.example'])).toBe(true);
    expect(hostAllowed('notlab.example', ['.lab.example'])).toBe(false);
    expect(hostAllowed('evil.example', true)).toBe(true);
  });

  it('lets a request with no Host (HTTP/1.0, not a browser) through', () => {
    expect(hostAllowed(undefined, [])).toBe(true);
  });

  it('hostnameOf strips the port and keeps IPv6 brackets', () => {
    expect(hostnameOf('Lab.Example:4173')).toBe('lab.example');
    expect(hostnameOf('[::1]:80')).toBe('[::1]');
    expect(hostnameOf('a:b')).toBeNull();
  });
});

describe('LAB_ALLOWED_HOSTS', () => {
  it('parses a comma-separated list, "true", or nothing', () => {
    expect(parseAllowedHosts(' Lab.Example, .corp.example ,, ')).toEqual(['lab.example', '.corp.example']);
    expect(parseAllowedHosts('true')).toBe(true);
    expect(parseAllowedHosts(' , ')).toBeUndefined();
    expect(parseAllowedHosts('')).toBeUndefined();
    expect(parseAllowedHosts(undefined)).toBeUndefined();
  });

  it('merges with the configured list; true wins', () => {
    expect(mergeAllowedHosts(['a.example'], ['b.example', 'a.example'])).toEqual(['a.example', 'b.example']);
    expect(mergeAllowedHosts(undefined, ['b.example'])).toEqual(['b.example']);
    expect(mergeAllowedHosts(['a.example'], true)).toBe(true);
    expect(mergeAllowedHosts(true, ['b.example'])).toBe(true);
  });
});
