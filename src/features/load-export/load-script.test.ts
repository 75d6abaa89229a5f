/**
 * The load export, pure: the plan, the Artillery script's shape, and the k6 script's structure. k6
 * cannot be installed on the lab's machines, so its script is parsed as a module and its top level
 * evaluated against stand-ins for k6's modules (options, scenarios, thresholds, metrics); it is not
 * run. The Artillery script is run for real in artillery.test.ts.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../../load/run.ts';
import { defaultParams, findScenario, type ScenarioConfig, type ScenarioName } from '../../protocol/scenarios.ts';
import { artilleryScript, exportLoad, k6Script, planLoad, type LoadPlan, type LoadSettings } from './load-script.ts';

function config(scenario: ScenarioName, params: Record<string, number> = {}): ScenarioConfig {
  const spec = findScenario(scenario);
  if (!spec) throw new Error(scenario);
  return { scenario, params: { ...defaultParams(spec), ...params } };
}

const base: LoadSettings = { config: config('ticker', { rate: 10 }), target: 'http://127.0.0.1:4173/', clients: 100, durationS: 10 };

function plan(settings: Partial<LoadSettings> = {}): LoadPlan {
  const result = planLoad({ ...base, ...settings });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('planLoad', () => {
  it('gives an endless ticker the count that fills the duration after the arrivals', () => {
    const p = plan();
    expect(p).toMatchObject({ target: 'http://127.0.0.1:4173', rampS: 2, framesPerStream: 80, streamMs: 8000, latencyP95Ms: 250, ttftP95Ms: 1100 });
    expect(p.paths).toEqual({
      sse: '/api/sse?scenario=ticker&rate=10&size=100&count=80&seed=42',
      ws: '/api/ws?scenario=ticker&rate=10&size=100&count=80&seed=42',
    });
    expect(p.streamTimeoutMs).toBe(26_000);
  });

  it('keeps finite streams as they are: llm plays its answer once, a ticker with a count keeps it', () => {
    const llm = plan({ config: config('llm', { tokens: 50, tps: 50, ttft: 300 }), options: { retry: 500 }, run: 'load-1' });
    expect(llm.framesPerStream).toBe(51);
    expect(llm.ttftP95Ms).toBe(1300);
    expect(llm.paths.sse).toBe('/api/sse?scenario=llm&ttft=300&tokens=50&tps=50&seed=42&retry=500&run=load-1');
    expect(plan({ config: config('ticker', { rate: 10, count: 30 }) }).framesPerStream).toBe(30);
    expect(plan({ config: config('burst', { burst: 20, interval: 1000 }) }).paths.ws).toContain('count=180');
  });

  it('says what it left out and where one machine stops', () => {
    const p = plan({ clients: 2000, options: { flakyFrames: 10 } });
    expect(p.notes.join('\n')).toMatch(/flakyFrames and flakyMs are left out/);
    expect(p.notes.join('\n')).toMatch(/MAX_STREAMS_PER_ADDRESS/);
  });

  it.each([
    [{ target: 'ws://127.0.0.1:4173' }, /target must be an http/],
    [{ target: 'http://127.0.0.1:4173/?x=1' }, /no query/],
    [{ clients: 19 }, /clients must be an integer from 20 to 5000 .*at random/],
    [{ clients: 0, transports: ['ws'] }, /clients must be an integer from 1 to 5000/],
    [{ clients: 5001 }, /MAX_STREAMS_TOTAL/],
    [{ durationS: 1 }, /duration must be an integer from 2/],
    [{ transports: [] }, /transports must name/],
    [{ config: config('chat') }, /chat is not exported/],
    [{ config: config('ticker', { rate: 0 }) }, /rate must be an integer from 1 to 20000/],
    [{ run: 'a b' }, /run must be a string/],
    [{ latencyP95Ms: -1 }, /latencyP95Ms must be a number/],
  ] satisfies [Partial<LoadSettings>, RegExp][])('refuses %o', (settings, error) => {
    const result = planLoad({ ...base, ...settings });
    expect(result.ok ? 'ok' : result.error).toMatch(error);
  });
});

describe('artilleryScript', () => {
  it('has the target, one arrival phase, the processor, an SSE scenario and a ws-engine scenario, and ensure checks', () => {
    const script = JSON.parse(artilleryScript(plan())) as {
      config: Record<string, unknown> & { ensure: { thresholds: Record<string, number>[]; conditions: { expression: string }[] } };
      scenarios: { name: string; engine?: string; flow: Record<string, unknown>[] }[];
    };
    expect(script.config).toMatchObject({
      target: 'http://127.0.0.1:4173',
      processor: './processor.mjs',
      phases: [{ duration: 2, arrivalCount: 100 }],
      variables: { labSsePath: expect.stringMatching(/^\/api\/sse\?/), labWsPath: expect.stringMatching(/^\/api\/ws\?/), labStreamTimeoutMs: 26_000 },
      plugins: { ensure: {} },
    });
    expect(script.scenarios).toEqual([
      { name: 'sse', weight: 1, flow: [{ function: 'sseStream' }] },
      { name: 'websocket', engine: 'ws', weight: 1, flow: [{ connect: { function: 'wsConnect' } }, { function: 'wsStream' }] },
    ]);
    expect(script.config.ensure.thresholds).toEqual([
      { 'lab.sse.latency_ms.p95': 250 },
      { 'lab.sse.ttft_ms.p95': 1100 },
      { 'lab.ws.latency_ms.p95': 250 },
      { 'lab.ws.ttft_ms.p95': 1100 },
    ]);
    expect(script.config.ensure.conditions.map((c) => c.expression)).toEqual([
      'vusers.failed == 0',
      'lab.sse.lost == 0',
      'lab.sse.duplicated == 0',
      'lab.sse.reordered == 0',
      'lab.sse.streams_incomplete == 0',
      'lab.ws.lost == 0',
      'lab.ws.duplicated == 0',
      'lab.ws.reordered == 0',
      'lab.ws.streams_incomplete == 0',
    ]);
  });

  it('takes a single client for one transport', () => {
    expect(plan({ clients: 1, transports: ['sse'] }).clients).toBe(1);
  });

  it('leaves out the transport not asked for', () => {
    const script = JSON.parse(artilleryScript(plan({ transports: ['ws'] }))) as { scenarios: { name: string }[]; config: { ensure: { conditions: { expression: string }[] } } };
    expect(script.scenarios.map((s) => s.name)).toEqual(['websocket']);
    expect(JSON.stringify(script.config.ensure)).not.toContain('lab.sse');
  });
});

/** Stand-ins for k6's modules: enough to evaluate the script's top level and read what it declares. */
function evaluateK6(source: string) {
  const parsed = ts.transpileModule(source, {
    reportDiagnostics: true,
    fileName: 'lab-load.k6.js',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true },
  });
  const metrics: { kind: string; name: string; isTime: boolean }[] = [];
  const metric = (kind: string) =>
    class {
      constructor(name: string, isTime = false) {
        metrics.push({ kind, name, isTime });
      }
      add(): void {}
    };
  const modules: Record<string, unknown> = {
    k6: { check: () => true },
    'k6/encoding': { default: { b64decode: () => new ArrayBuffer(0) } },
    'k6/metrics': { Counter: metric('Counter'), Trend: metric('Trend') },
    'k6/timers': { setTimeout: () => 0, clearTimeout: () => undefined },
    'k6/websockets': { WebSocket: class {} },
    'k6/x/sse': { default: { open: () => ({ status: 200 }) } },
  };
  const imported: string[] = [];
  const require = (name: string) => {
    imported.push(name);
    if (!(name in modules)) throw new Error(`unexpected import ${name}`);
    return modules[name];
  };
  const exports: Record<string, unknown> = {};
  new Function('require', 'exports', '__ENV', parsed.outputText)(require, exports, {});
  return { diagnostics: parsed.diagnostics ?? [], imported, exports, metrics };
}

describe('k6Script (structure only: k6 is not installable here)', () => {
  it('parses as a module, imports k6/websockets and xk6-sse, and declares scenarios, thresholds and metrics', () => {
    const source = k6Script(plan({ clients: 101 }));
    const { diagnostics, imported, exports, metrics } = evaluateK6(source);
    expect(diagnostics).toEqual([]);
    expect(imported.sort()).toEqual(['k6', 'k6/encoding', 'k6/metrics', 'k6/timers', 'k6/websockets', 'k6/x/sse']);
    expect(typeof exports.sseStream).toBe('function');
    expect(typeof exports.wsStream).toBe('function');
    const options = exports.options as { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]> };
    expect(options.scenarios).toEqual({
      sse: { executor: 'constant-arrival-rate', exec: 'sseStream', rate: 51, timeUnit: '2s', duration: '2s', preAllocatedVUs: 51, gracefulStop: '26s' },
      websocket: { executor: 'constant-arrival-rate', exec: 'wsStream', rate: 50, timeUnit: '2s', duration: '2s', preAllocatedVUs: 50, gracefulStop: '26s' },
    });
    expect(options.thresholds).toMatchObject({
      lab_sse_latency_ms: ['p(95)<250'],
      lab_sse_ttft_ms: ['p(95)<1100'],
      lab_sse_lost: ['count==0'],
      lab_sse_duplicated: ['count==0'],
      lab_ws_latency_ms: ['p(95)<250'],
      lab_ws_ttft_ms: ['p(95)<1100'],
      lab_ws_lost: ['count==0'],
      lab_ws_streams_incomplete: ['count==0'],
      checks: ['rate==1'],
    });
    expect(metrics).toContainEqual({ kind: 'Trend', name: 'lab_ws_latency_ms', isTime: true });
    expect(metrics).toContainEqual({ kind: 'Counter', name: 'lab_sse_lost', isTime: false });
    expect(source).toContain("const SSE_PATH = \"/api/sse?scenario=ticker&rate=10&size=100&count=80&seed=42\";");
    expect(source).toContain('__ENV.TARGET || "http://127.0.0.1:4173"');
  });

  it('imports only what its transports need', () => {
    const { imported, exports } = evaluateK6(k6Script(plan({ transports: ['sse'] })));
    expect(imported).not.toContain('k6/websockets');
    expect(exports.wsStream).toBeUndefined();
  });

  it('comes with the Artillery script from exportLoad', () => {
    const result = exportLoad(base);
    expect(result.ok && result.value.k6.startsWith('// Generated by SSE vs WebSocket Lab')).toBe(true);
  });
});

describe('npm run load arguments (load/run.ts)', () => {
  it('reads clients, duration, target, the scenario and its parameters, and the assertions', () => {
    const args = parseRunArgs(['--clients', '40', '--duration', '6', '--target', 'http://127.0.0.1:9', '--scenario', 'llm', '--tokens', '30', '--ttft', '100', '--max-p95', '50', '--max-ttft', '900', '--transports', 'ws']);
    expect(args.ok && args.value.settings).toMatchObject({
      config: { scenario: 'llm', params: { tokens: 30, ttft: 100, tps: 40, seed: 42 } },
      target: 'http://127.0.0.1:9',
      clients: 40,
      durationS: 6,
      transports: ['ws'],
      latencyP95Ms: 50,
      ttftP95Ms: 900,
    });
  });

  it('defaults to 100 clients, 10 s, the lab on 127.0.0.1:4173 and a ticker at 10 msg/s', () => {
    const args = parseRunArgs([]);
    expect(args.ok && args.value.settings).toMatchObject({ clients: 100, durationS: 10, target: 'http://127.0.0.1:4173', config: { scenario: 'ticker', params: { rate: 10 } } });
  });

  it.each([
    [['--clients', 'x'], /--clients must be a whole number/],
    [['--scenario', 'llm', '--rate', '5'], /--rate is not a parameter of scenario llm/],
    [['--nope'], /Unknown option '--nope'/],
    [['--transports', 'sse,poll'], /--transports takes/],
    [['--max-p95', '0'], /--max-p95 must be a number above 0/],
  ])('refuses %j', (argv, error) => {
    const args = parseRunArgs(argv);
    expect(args.ok ? 'ok' : args.error).toMatch(error);
  });
});
