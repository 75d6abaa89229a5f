import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, systemChromium } from './e2e/chromium.ts';

const port = Number(process.env.E2E_PORT ?? 4273);
// The same lab over https + HTTP/2 (LAB_HTTPS=1, self-signed), for the connection-limit spec of project h2.
const h2Port = port + 1;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list']],
  timeout: 60_000,
  expect: {
    timeout: 15_000,
    toHaveScreenshot: { maxDiffPixels: 0, animations: 'disabled', caret: 'hide' },
  },
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    launchOptions: {
      executablePath: systemChromium,
      args: [...chromiumArgs],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /connection-limit-h2\.spec\.ts/ },
    {
      name: 'h2',
      testMatch: /connection-limit-h2\.spec\.ts/,
      use: { baseURL: `https://127.0.0.1:${h2Port}`, ignoreHTTPSErrors: true },
    },
  ],
  webServer: [
    {
      command: `npx vite build && npx vite preview --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/api/info`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: { HOST: '127.0.0.1', PORT: String(port) },
    },
    {
      // Starts after the first one (Playwright starts web servers in order), so the build is there.
      command: `npx vite preview --port ${h2Port} --strictPort`,
      url: `https://127.0.0.1:${h2Port}/api/info`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 120_000,
      env: { HOST: '127.0.0.1', PORT: String(h2Port), LAB_HTTPS: '1' },
    },
  ],
});
