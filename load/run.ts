/**
 * `npm run load -- --clients N --duration S [--target URL] [options]`: exports the lab's scenario as
 * an Artillery script (src/features/load-export/load-script.ts), runs it with real Artillery against a
 * live lab, prints Artillery's summary and checks, and exits non-zero when an assertion fails.
 * Artillery lives in load/'s own package (installed here with `npm ci` on first use), never in the
 * app's dependencies.
 *
 *   --clients N          virtual users, one stream each (default 100)
 *   --duration S         seconds (default 10): users arrive over the first fifth, endless streams last the rest
 *   --target URL         the lab (default http://127.0.0.1:4173, what `npm start` serves)
 *   --scenario NAME      ticker (default), llm, burst or binary; its parameters as --rate, --size, --count,
 *                        --tokens, --tps, --ttft, --burst, --interval, --seed (ticker and binary default to
 *                        --rate 10 here, a pace 100 users on a small machine hold)
 *   --retry MS --run LABEL   stream options
 *   --transports sse,ws  which streams (default both)
 *   --max-p95 MS         assertion: p95 one-way latency below MS (default 250)
 *   --max-ttft MS        assertion: p95 time to first frame (token) below MS (default: the scenario's own
 *                        wait before its first frame + 1000)
 *   --report FILE        keep Artillery's JSON report there
 *   --write DIR          write the Artillery script, its processor and the k6 script to DIR and stop
 *
 * Exit codes: 0 every assertion held; 1 an assertion failed or Artillery failed; 2 bad arguments.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_LOAD_TARGET,
  exportLoad,
  LOAD_TRANSPORTS,
  type LoadExport,
  type LoadSettings,
  type LoadTransport,
} from '../src/features/load-export/load-script.ts';
import { defaultParams, findScenario, scenarios, type ParseResult } from '../src/protocol/scenarios.ts';

const loadDir = fileURLToPath(new URL('.', import.meta.url));
const artilleryBin = join(loadDir, 'node_modules', '.bin', 'artillery');

/** Scenario parameters that `npm run load` sets unless told: a pace 100 users hold on a 2-core machine. */
const LOAD_PARAM_DEFAULTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  ticker: { rate: 10 },
  binary: { rate: 10 },
};

export interface RunArgs {
  settings: LoadSettings;
  report?: string;
  write?: string;
}

const paramNames = [...new Set(scenarios.flatMap((s) => s.params.map((p) => p.name)))];

function wholeNumber(name: string, raw: string | undefined, fallback: number): ParseResult<number> {
  if (raw === undefined) return { ok: true, value: fallback };
  if (!/^\d+$/.test(raw.trim())) return { ok: false, error: `--${name} must be a whole number; got "${raw}"` };
  return { ok: true, value: Number(raw) };
}

function positiveNumber(name: string, raw: string | undefined): ParseResult<number | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) return { ok: false, error: `--${name} must be a number above 0 (ms); got "${raw}"` };
  return { ok: true, value };
}

/** The command line as load settings, or what is wrong with it. */
export function parseRunArgs(argv: readonly string[]): ParseResult<RunArgs> {
  const stringOption = { type: 'string' } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        clients: stringOption,
        duration: stringOption,
        target: stringOption,
        scenario: stringOption,
        retry: stringOption,
        run: stringOption,
        transports: stringOption,
        'max-p95': stringOption,
        'max-ttft': stringOption,
        report: stringOption,
        write: stringOption,
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(paramNames.map((n) => [n, stringOption])),
      },
    }));
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const text = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const clients = wholeNumber('clients', text('clients'), 100);
  if (!clients.ok) return clients;
  const duration = wholeNumber('duration', text('duration'), 10);
  if (!duration.ok) return duration;
  const name = text('scenario') ?? 'ticker';
  const spec = findScenario(name);
  if (!spec) return { ok: false, error: `--scenario must be one of ${scenarios.map((s) => s.name).join(', ')}; got "${name}"` };

  const params: Record<string, number> = { ...defaultParams(spec), ...LOAD_PARAM_DEFAULTS[spec.name] };
  for (const p of spec.params) {
    const raw = text(p.name);
    if (raw === undefined) continue;
    const value = wholeNumber(p.name, raw, 0);
    if (!value.ok) return value;
    params[p.name] = value.value;
  }
  for (const n of paramNames) {
    if (text(n) !== undefined && !spec.params.some((p) => p.name === n)) {
      return { ok: false, error: `--${n} is not a parameter of scenario ${spec.name} (${spec.params.map((p) => p.name).join(', ')})` };
    }
  }
  const retry = text('retry') === undefined ? undefined : wholeNumber('retry', text('retry'), 0);
  if (retry && !retry.ok) return retry;
  const transports = (text('transports') ?? LOAD_TRANSPORTS.join(',')).split(',').map((t) => t.trim());
  const unknown = transports.find((t) => !LOAD_TRANSPORTS.includes(t as LoadTransport));
  if (unknown !== undefined) return { ok: false, error: `--transports takes sse, ws or sse,ws; got "${unknown}"` };
  const p95 = positiveNumber('max-p95', text('max-p95'));
  if (!p95.ok) return p95;
  const ttft = positiveNumber('max-ttft', text('max-ttft'));
  if (!ttft.ok) return ttft;
  return {
    ok: true,
    value: {
      settings: {
        config: { scenario: spec.name, params },
        options: retry?.ok ? { retry: retry.value } : undefined,
        run: text('run'),
        target: text('target') ?? DEFAULT_LOAD_TARGET,
        clients: clients.value,
        durationS: duration.value,
        transports: transports as LoadTransport[],
        latencyP95Ms: p95.value,
        ttftP95Ms: ttft.value,
      },
      report: text('report'),
      write: text('write'),
    },
  };
}

function run(command: string, args: readonly string[], cwd: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd,
      stdio: 'inherit',
      env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ARTILLERY_DISABLE_TELEMETRY: 'true' },
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** `npm ci` in load/ when Artillery is not there yet (≈ 460 MB, 40–70 s, once). */
export async function ensureInstalled(): Promise<void> {
  if (existsSync(artilleryBin)) return;
  console.log('load: installing Artillery into load/node_modules (once; about a minute)…');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], loadDir);
  if (code !== 0 || !existsSync(artilleryBin)) throw new Error(`npm ci in ${loadDir} failed (exit ${code})`);
}

/** Writes the Artillery script, its processor and the k6 script to `dir`. */
function writeExport(dir: string, exported: LoadExport): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lab-load.artillery.json'), exported.artillery);
  writeFileSync(join(dir, 'lab-load.k6.js'), exported.k6);
  copyFileSync(join(loadDir, 'processor.mjs'), join(dir, 'processor.mjs'));
  // The processor's one dependency, for runners that install it (Artillery's cloud runners do).
  const own = JSON.parse(readFileSync(join(loadDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const pkg = { name: 'lab-load', private: true, type: 'module', dependencies: { 'eventsource-parser': own.dependencies['eventsource-parser'] } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*\n| \* ?/gm, ''));
    return 0;
  }
  const args = parseRunArgs(argv);
  if (!args.ok) {
    console.error(`load: ${args.error}\n(npm run load -- --help lists the options)`);
    return 2;
  }
  const { settings, report, write } = args.value;
  if (write) {
    const exported = exportLoad(settings);
    if (!exported.ok) {
      console.error(`load: ${exported.error}`);
      return 2;
    }
    writeExport(resolve(write), exported.value);
    console.log(`load: wrote lab-load.artillery.json, processor.mjs, package.json and lab-load.k6.js to ${resolve(write)}`);
    for (const note of exported.value.plan.notes) console.log(`  note: ${note}`);
    return 0;
  }
  // The processor stays in load/, where its own dependency (eventsource-parser) resolves.
  const exported = exportLoad({ ...settings, processor: join(loadDir, 'processor.mjs') });
  if (!exported.ok) {
    console.error(`load: ${exported.error}`);
    return 2;
  }
  const { plan } = exported.value;
  await ensureInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'lab-load-'));
  try {
    const script = join(dir, 'lab-load.artillery.json');
    writeFileSync(script, exported.value.artillery);
    const output = resolve(report ?? join(dir, 'report.json'));
    console.log(
      `load: ${plan.clients} clients (${plan.transports.join(' + ')}) → ${plan.target}, ${plan.config.scenario} ` +
        `${plan.paths.sse.split('?')[1]}, arriving over ${plan.rampS} s; assertions: no loss, p95 latency < ${plan.latencyP95Ms} ms, ` +
        `p95 time to first frame < ${plan.ttftP95Ms} ms`,
    );
    for (const note of plan.notes) console.log(`  note: ${note}`);
    const code = await run(artilleryBin, ['run', '--output', output, script], dir);
    if (code !== 0) console.error(`load: Artillery exited with ${code} (a failed check above, or an error)`);
    return code === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`load: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
