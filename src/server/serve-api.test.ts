/**
 * `npm run serve:api`: the lab's endpoints without Vite, for other people's test suites. Started as a
 * real process, as a user starts it; the real OpenAI SDK against it.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { onCleanup, runCleanups } from './test-support.ts';

afterEach(runCleanups);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `node --import tsx src/server/serve-api.ts` and resolves with its URL once it says it listens. */
async function serveApi(env: Record<string, string>): Promise<string> {
  const entry = fileURLToPath(new URL('./serve-api.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve-api exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /lab API on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
  });
}

describe('npm run serve:api', { timeout: 30_000 }, () => {
  it('serves /api and /v1 on PORT and HOST, answers anything else with a JSON 404, and checks Host', async () => {
    const port = await freePort();
    const url = await serveApi({ PORT: String(port), HOST: '127.0.0.1', LAB_TOKEN: 's3cret' });
    expect(url).toBe(`http://127.0.0.1:${port}`);

    const info = (await (await fetch(`${url}/api/info`)).json()) as { name: string; auth: { required: boolean } };
    expect(info).toMatchObject({ name: 'sse-vs-websocket-lab', auth: { required: true } });

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(404);
    expect(((await page.json()) as { error: string }).error).toMatch(/API only/);

    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-lab-params': 'ttft=0&tps=1000&tokens=5' } });
    const completion = await openai.chat.completions.create({ model: 'gpt-lab', messages: [{ role: 'user', content: 'Why SSE?' }] });
    expect(completion.choices[0].message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(5);

    // DNS rebinding: the same server under a name it does not answer to (fetch cannot set Host).
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${url}/api/info`, { headers: { Host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
