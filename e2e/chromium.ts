/**
 * How the tests, the bench and the README screenshots launch Chromium: Debian's where it exists
 * (Playwright cannot download browsers on the lab's machines), Playwright's own otherwise.
 */
import { existsSync } from 'node:fs';

export const systemChromium: string | undefined = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
