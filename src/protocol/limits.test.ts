import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.ts';

describe('LIMITS', () => {
  it('names each limit once, with a positive value and what a client sees', () => {
    expect(new Set(LIMITS.map((l) => l.name)).size).toBe(LIMITS.length);
    for (const limit of LIMITS) {
      expect(limit.value).toBeGreaterThan(0);
      expect(limit.refusal.length).toBeGreaterThan(5);
    }
  });

  it('the README "Limits and security" table lists every one of them', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Limits and security'), readme.indexOf('## How a frame travels'));
    expect(section.length).toBeGreaterThan(100);
    for (const limit of LIMITS) expect(section).toContain(`\`${limit.name}\``);
  });
});
