import { describe, expect, it } from 'vitest';
import { checkControlRequest } from './control-policy.ts';

const host = '127.0.0.1:4173';

describe('checkControlRequest', () => {
  it.each([
    ['the lab page (same origin)', { host, origin: 'http://127.0.0.1:4173', 'sec-fetch-site': 'same-origin' }],
    ['curl or Node (neither header)', { host }],
    ['the address bar (Sec-Fetch-Site: none)', { host, 'sec-fetch-site': 'none' }],
    ['a listed origin', { host, origin: 'https://team.example', 'sec-fetch-site': 'cross-site' }],
  ])('lets %s through', (_label, headers) => {
    expect(checkControlRequest(headers, ['https://team.example'])).toEqual({ ok: true });
  });

  it.each([
    ['a page on another origin', { host, origin: 'http://localhost:4173', 'sec-fetch-site': 'same-site' }],
    ['a form from another site', { host, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['an opaque origin (sandboxed iframe, file:)', { host, origin: 'null' }],
    ['a cross-site request that hides its Origin', { host, 'sec-fetch-site': 'cross-site' }],
    ['a malformed Origin', { host, origin: 'http://[' }],
  ])('refuses %s with a reason', (_label, headers) => {
    const verdict = checkControlRequest(headers, ['https://team.example']);
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining("lab's own page") as unknown });
  });
});
