/**
 * The lab's scenario as a load test for a real load-testing engine: an Artillery script (JSON, which
 * Artillery reads as YAML) and a k6 script. Pure: settings in, text out, no Node and no DOM, so the
 * page can offer the same files `npm run load` (load/run.ts) writes and runs.
 *
 * Each virtual user opens one stream (SSE or WebSocket) of the lab's URL contract (GET /api/sse,
 * GET /api/ws) and reads it to the server's `done`, checking every frame's seq and t:
 *   - Artillery: SSE through load/processor.mjs (`sseStream`, a real SSE parser), WebSocket through
 *     Artillery's `ws` engine (`wsConnect` + `wsStream` read its socket); metrics `lab.<t>.*`,
 *     assertions with the `ensure` plugin.
 *   - k6: WebSocket with `k6/websockets`, SSE with the xk6-sse extension (`k6/x/sse`); Trend and
 *     Counter metrics `lab_<t>_*`, assertions as `thresholds`.
 *
 * Virtual users arrive evenly over the first fifth of the duration (1–60 s). A stream that would run
 * until stopped (count 0) gets the count that makes it last the rest of the duration; a finite stream
 * (llm, or a count) plays once, however long that takes.
 */
import { MAX_STREAMS_PER_ADDRESS, MAX_STREAMS_TOTAL } from '../../protocol/limits.ts';
import { parseRun } from '../../protocol/faults.ts';
import { parseScenarioQuery, scenarioQuery, type ParseResult, type ScenarioConfig } from '../../protocol/scenarios.ts';
import { streamOptionSpecs, type StreamOptions } from '../../protocol/stream-options.ts';

export type LoadTransport = 'sse' | 'ws';

export const LOAD_TRANSPORTS: readonly LoadTransport[] = ['sse', 'ws'];

/** Where `npm run load` points when no target is given: the lab as `npm start` serves it. */
export const DEFAULT_LOAD_TARGET = 'http://127.0.0.1:4173';
export const DEFAULT_LATENCY_P95_MS = 250;
/** Time to first frame allowed on top of the scenario's own wait before its first frame. */
export const DEFAULT_TTFT_MARGIN_MS = 1_000;
export const MAX_LOAD_DURATION_S = 3_600;
/**
 * Fewest clients for a run of both transports: Artillery picks each virtual user's scenario at
 * random by weight, so with n users one transport gets none with probability 2·0.5^n (2·10⁻⁶ at 20),
 * and its checks would fail for want of metrics.
 */
export const MIN_MIXED_CLIENTS = 20;

export interface LoadSettings {
  config: ScenarioConfig;
  /** Only `retry` is exported; a load client does not reconnect, so flaky drops are left out. */
  options?: Partial<StreamOptions>;
  /** The page's run label (`run=`), so faults can be scoped to the load. */
  run?: string;
  /** http(s)://host[:port] of the lab. */
  target: string;
  /** Virtual users in all, each with one stream. */
  clients: number;
  durationS: number;
  /** Default: both. */
  transports?: readonly LoadTransport[];
  /** Assertion: p95 one-way latency below this (ms). */
  latencyP95Ms?: number;
  /** Assertion: p95 time to first frame (token) below this (ms). */
  ttftP95Ms?: number;
  /** The processor as the Artillery script names it (relative to the script, or absolute). */
  processor?: string;
}

export interface LoadPlan {
  target: string;
  clients: number;
  durationS: number;
  /** Virtual users arrive evenly over this many seconds. */
  rampS: number;
  transports: readonly LoadTransport[];
  /** The scenario as each stream plays it (an endless stream with its count set). */
  config: ScenarioConfig;
  /** Path and query of each transport's stream. */
  paths: Readonly<Record<LoadTransport, string>>;
  /** Frames each stream carries (before `done`). */
  framesPerStream: number;
  /** How long one stream plays, planned (llm: its mean pace). */
  streamMs: number;
  /** A stream without `done` after this long fails its virtual user. */
  streamTimeoutMs: number;
  latencyP95Ms: number;
  ttftP95Ms: number;
  processor: string;
  /** What the export changed or left out, and what to look out for, in plain words. */
  notes: readonly string[];
}

export interface LoadExport {
  plan: LoadPlan;
  /** Artillery script (JSON). */
  artillery: string;
  /** k6 script (JavaScript, needs a k6 built with xk6-sse for its SSE scenario). */
  k6: string;
}

/** Artillery's metric names: `lab.sse.latency_ms`, `lab.ws.lost`, … (histograms: latency_ms, ttft_ms). */
export const ARTILLERY_COUNTERS = ['frames', 'lost', 'duplicated', 'reordered', 'streams_complete', 'streams_incomplete'] as const;
export const ARTILLERY_HISTOGRAMS = ['latency_ms', 'ttft_ms'] as const;
export type ArtilleryMetric = (typeof ARTILLERY_COUNTERS)[number] | (typeof ARTILLERY_HISTOGRAMS)[number];

export function artilleryMetric(transport: LoadTransport, metric: ArtilleryMetric): string {
  return `lab.${transport}.${metric}`;
}

/** k6 metric names may not contain dots: `lab_sse_latency_ms`. */
export function k6Metric(transport: LoadTransport, metric: ArtilleryMetric): string {
  return `lab_${transport}_${metric}`;
}

const SCENARIO_NAMES: Readonly<Record<LoadTransport, string>> = { sse: 'sse', ws: 'websocket' };

function isWhole(n: number, min: number, max: number): boolean {
  return Number.isSafeInteger(n) && n >= min && n <= max;
}

/** The target as an origin-like base: http(s)://host[:port][/path], no trailing slash, no query. */
export function parseTarget(raw: string): ParseResult<string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, error: `target must be an http:// or https:// URL; got "${raw}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `target must be an http:// or https:// URL (WebSocket URLs are made from it); got "${raw}"` };
  }
  if (url.search || url.hash || url.username || url.password) {
    return { ok: false, error: `target is where the lab is served (no query, fragment or credentials); got "${raw}"` };
  }
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** The scenario's wait before its first frame, ms. */
function firstFrameMs(config: ScenarioConfig): number {
  const p = config.params;
  if (config.scenario === 'llm') return p.ttft;
  if (config.scenario === 'burst') return 0;
  return 1000 / p.rate;
}

/** Frames and planned play time of one finite stream. */
function streamShape(config: ScenarioConfig): { frames: number; ms: number } {
  const p = config.params;
  if (config.scenario === 'llm') {
    // Mean gap 1000/tps; 3 % of gaps add a stall of 3–8 gaps (schedule.ts): about 1.165 gaps each.
    const mean = 1000 / p.tps;
    return { frames: p.tokens + 1, ms: p.ttft + p.tokens * mean * 1.165 };
  }
  if (config.scenario === 'burst') return { frames: p.count, ms: (Math.ceil(p.count / p.burst) - 1) * p.interval };
  return { frames: p.count, ms: (p.count * 1000) / p.rate };
}

/** An endless stream gets the count that fills `holdMs`; a finite one is kept. */
function withCount(config: ScenarioConfig, holdMs: number): ScenarioConfig {
  const p = config.params;
  if (config.scenario === 'llm' || p.count !== 0) return config;
  const count =
    config.scenario === 'burst'
      ? p.burst * (Math.floor(holdMs / p.interval) + 1)
      : Math.max(1, Math.floor((p.rate * holdMs) / 1000));
  return { ...config, params: { ...p, count } };
}

/** Checks the settings and works out what every stream plays. */
export function planLoad(settings: LoadSettings): ParseResult<LoadPlan> {
  const target = parseTarget(settings.target);
  if (!target.ok) return target;
  const transports = LOAD_TRANSPORTS.filter((t) => (settings.transports ?? LOAD_TRANSPORTS).includes(t));
  if (transports.length === 0) return { ok: false, error: 'transports must name sse, ws or both' };
  const minClients = transports.length > 1 ? MIN_MIXED_CLIENTS : 1;
  if (!isWhole(settings.clients, minClients, MAX_STREAMS_TOTAL)) {
    const why = transports.length > 1 ? `; with both transports Artillery picks each user's at random, and fewer could leave one without users: for fewer, choose one transport` : '';
    return {
      ok: false,
      error: `clients must be an integer from ${minClients} to ${MAX_STREAMS_TOTAL} (the lab's MAX_STREAMS_TOTAL)${why}; got ${settings.clients}`,
    };
  }
  if (!isWhole(settings.durationS, 2, MAX_LOAD_DURATION_S)) {
    return { ok: false, error: `duration must be an integer from 2 to ${MAX_LOAD_DURATION_S} (s); got ${settings.durationS}` };
  }
  if (settings.config.scenario === 'chat') {
    return {
      ok: false,
      error: 'scenario chat is not exported: its stream runs until the page stops it and its user messages need the page; use ticker, llm, burst or binary',
    };
  }
  const checked = parseScenarioQuery(Object.fromEntries(scenarioQuery(settings.config)));
  if (!checked.ok) return checked;
  const run = parseRun(settings.run);
  if (!run.ok) return run;
  for (const [name, value] of [['latencyP95Ms', settings.latencyP95Ms], ['ttftP95Ms', settings.ttftP95Ms]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0 && value <= 600_000)) {
      return { ok: false, error: `${name} must be a number of ms above 0 and up to 600000; got ${value}` };
    }
  }

  const notes: string[] = [];
  const rampS = Math.min(60, Math.max(1, Math.round(settings.durationS / 5)));
  const config = withCount(checked.value, (settings.durationS - rampS) * 1000);
  if (config !== checked.value) {
    notes.push(`count=${config.params.count}: each stream ends after about ${settings.durationS - rampS} s, when the last virtual user has arrived and held its stream`);
  } else {
    notes.push('a finite stream: each virtual user plays it once, however long that takes');
  }
  const query = scenarioQuery(config);
  const retry = settings.options?.retry;
  if (retry !== undefined) {
    const spec = streamOptionSpecs.find((s) => s.name === 'retry');
    if (spec && !isWhole(retry, spec.min, spec.max)) return { ok: false, error: `retry must be an integer from ${spec.min} to ${spec.max} (ms); got ${retry}` };
    query.set('retry', String(retry));
  }
  if ((settings.options?.flakyFrames ?? 0) > 0 || (settings.options?.flakyMs ?? 0) > 0) {
    notes.push('flakyFrames and flakyMs are left out: a load client does not reconnect, so a drop would fail its virtual user');
  }
  if (run.value) query.set('run', run.value);
  if (settings.clients > MAX_STREAMS_PER_ADDRESS) {
    notes.push(`more than ${MAX_STREAMS_PER_ADDRESS} clients from one address get 503 (the lab's MAX_STREAMS_PER_ADDRESS): run them from several machines`);
  }
  const { frames, ms } = streamShape(config);
  const perSecond = (settings.clients * frames * 1000) / Math.max(ms, 1000);
  if (perSecond > 50_000) {
    notes.push(`about ${Math.round(perSecond)} frames/s in all: more than one lab process on one core writes (bench: Node↔Node ≈ 80 k msg/s), so latency will measure queueing`);
  }
  const search = query.toString();
  return {
    ok: true,
    value: {
      target: target.value,
      clients: settings.clients,
      durationS: settings.durationS,
      rampS,
      transports,
      config,
      paths: { sse: `/api/sse?${search}`, ws: `/api/ws?${search}` },
      framesPerStream: frames,
      streamMs: Math.round(ms),
      streamTimeoutMs: Math.ceil(ms * 2 + 10_000),
      latencyP95Ms: settings.latencyP95Ms ?? DEFAULT_LATENCY_P95_MS,
      ttftP95Ms: settings.ttftP95Ms ?? Math.ceil(firstFrameMs(config) + DEFAULT_TTFT_MARGIN_MS),
      processor: settings.processor ?? './processor.mjs',
      notes,
    },
  };
}

/** The Artillery script: both scenarios weighted alike, each virtual user one stream. */
export function artilleryScript(plan: LoadPlan): string {
  const scenarios = plan.transports.map((t) =>
    t === 'sse'
      ? { name: SCENARIO_NAMES.sse, weight: 1, flow: [{ function: 'sseStream' }] }
      : { name: SCENARIO_NAMES.ws, engine: 'ws', weight: 1, flow: [{ connect: { function: 'wsConnect' } }, { function: 'wsStream' }] },
  );
  const thresholds = plan.transports.flatMap((t) => [
    { [`${artilleryMetric(t, 'latency_ms')}.p95`]: plan.latencyP95Ms },
    { [`${artilleryMetric(t, 'ttft_ms')}.p95`]: plan.ttftP95Ms },
  ]);
  const conditions = [
    { expression: 'vusers.failed == 0' },
    ...plan.transports.flatMap((t) => [
      { expression: `${artilleryMetric(t, 'lost')} == 0` },
      { expression: `${artilleryMetric(t, 'duplicated')} == 0` },
      { expression: `${artilleryMetric(t, 'reordered')} == 0` },
      { expression: `${artilleryMetric(t, 'streams_incomplete')} == 0` },
    ]),
  ];
  const script = {
    config: {
      target: plan.target,
      processor: plan.processor,
      phases: [{ name: `${plan.clients} streams arrive`, duration: plan.rampS, arrivalCount: plan.clients }],
      variables: {
        labSsePath: plan.paths.sse,
        labWsPath: plan.paths.ws,
        labStreamTimeoutMs: plan.streamTimeoutMs,
      },
      plugins: { ensure: {} },
      ensure: { thresholds, conditions },
    },
    scenarios,
  };
  return `${JSON.stringify(script, null, 2)}\n`;
}

/** JavaScript literal of a string (JSON is valid JS for strings). */
const js = (value: string | number): string => JSON.stringify(value);

/** Virtual users per transport in k6 (which, unlike Artillery's weights, splits them exactly). */
function split(plan: LoadPlan): Record<LoadTransport, number> {
  const out: Record<LoadTransport, number> = { sse: 0, ws: 0 };
  plan.transports.forEach((t, i) => {
    out[t] = Math.floor(plan.clients / plan.transports.length) + (i < plan.clients % plan.transports.length ? 1 : 0);
  });
  return out;
}

/** The k6 script. Structure-checked here (k6 is not installable on the lab's machines), not run. */
export function k6Script(plan: LoadPlan): string {
  const vus = split(plan);
  const metricLines = plan.transports.flatMap((t) => [
    `  ${t}: {`,
    `    latency: new Trend(${js(k6Metric(t, 'latency_ms'))}, true),`,
    `    ttft: new Trend(${js(k6Metric(t, 'ttft_ms'))}, true),`,
    ...ARTILLERY_COUNTERS.map((c) => `    ${c}: new Counter(${js(k6Metric(t, c))}),`),
    '  },',
  ]);
  const scenarioLines = plan.transports.flatMap((t) => [
    `    ${SCENARIO_NAMES[t]}: {`,
    "      executor: 'constant-arrival-rate',",
    `      exec: ${js(t === 'sse' ? 'sseStream' : 'wsStream')},`,
    `      rate: ${vus[t]},`,
    `      timeUnit: ${js(`${plan.rampS}s`)},`,
    `      duration: ${js(`${plan.rampS}s`)},`,
    `      preAllocatedVUs: ${vus[t]},`,
    `      gracefulStop: ${js(`${Math.ceil(plan.streamTimeoutMs / 1000)}s`)},`,
    '    },',
  ]);
  const thresholdLines = plan.transports.flatMap((t) => [
    `    ${k6Metric(t, 'latency_ms')}: [${js(`p(95)<${plan.latencyP95Ms}`)}],`,
    `    ${k6Metric(t, 'ttft_ms')}: [${js(`p(95)<${plan.ttftP95Ms}`)}],`,
    ...(['lost', 'duplicated', 'reordered', 'streams_incomplete'] as const).map((c) => `    ${k6Metric(t, c)}: ['count==0'],`),
  ]);
  const imports = [
    "import { check } from 'k6';",
    "import encoding from 'k6/encoding';",
    "import { Counter, Trend } from 'k6/metrics';",
    "import { setTimeout, clearTimeout } from 'k6/timers';",
    ...(plan.transports.includes('ws') ? ["import { WebSocket } from 'k6/websockets';"] : []),
    ...(plan.transports.includes('sse') ? ["import sse from 'k6/x/sse';"] : []),
  ];
  const sse = [
    '',
    '/** One SSE stream, read to `event: done` by xk6-sse. */',
    'export function sseStream() {',
    "  const meter = new Meter('sse');",
    '  const response = sse.open(TARGET + SSE_PATH, { method: \'GET\', headers: { Accept: \'text/event-stream\' } }, (client) => {',
    "    client.on('event', (event) => {",
    '      const receivedAt = Date.now();',
    "      if (event.name === 'done') meter.done(JSON.parse(event.data).total);",
    "      else if (event.name === 'bytes') meter.binary(encoding.b64decode(event.data, 'std'), receivedAt);",
    "      else if (!event.name || event.name === 'message') meter.text(event.data, receivedAt);",
    '      if (meter.total !== null) client.close();',
    '    });',
    "    client.on('error', (e) => console.error(`sse: ${e.error()}`));",
    '  });',
    "  check(response, { 'sse: status 200': (r) => r && r.status === 200 });",
    "  meter.finish('the response ended');",
    '}',
  ];
  const ws = [
    '',
    '/** One WebSocket stream, read to `{"type":"done"}`. */',
    'export function wsStream() {',
    "  const meter = new Meter('ws');",
    "  const socket = new WebSocket(TARGET.replace(/^http/, 'ws') + WS_PATH);",
    "  socket.binaryType = 'arraybuffer';",
    '  const timer = setTimeout(() => socket.close(), STREAM_TIMEOUT_MS);',
    "  socket.addEventListener('message', (event) => {",
    '    const receivedAt = Date.now();',
    "    if (typeof event.data === 'string') meter.text(event.data, receivedAt);",
    '    else meter.binary(event.data, receivedAt);',
    '    if (meter.total !== null) socket.close();',
    '  });',
    "  socket.addEventListener('error', (e) => console.error(`ws: ${e.error}`));",
    "  socket.addEventListener('close', () => {",
    '    clearTimeout(timer);',
    "    meter.finish('the socket closed');",
    '  });',
    '}',
  ];
  const body = [
    `// Generated by SSE vs WebSocket Lab (src/features/load-export/load-script.ts): ${plan.clients} clients, ${plan.durationS} s,`,
    `// ${plan.config.scenario} — ${plan.framesPerStream} frames per stream.`,
    '// WebSocket: k6/websockets. SSE: the xk6-sse extension, so build k6 with it first:',
    '//   xk6 build --with github.com/phymbert/xk6-sse && ./k6 run -e TARGET=http://127.0.0.1:4173 lab-load.k6.js',
    '// Latency is Date.now() − frame.t (ms resolution); on two machines it includes their clock offset.',
    ...imports,
    '',
    `const TARGET = (__ENV.TARGET || ${js(plan.target)}).replace(/\\/+$/, '');`,
    `const SSE_PATH = ${js(plan.paths.sse)};`,
    `const WS_PATH = ${js(plan.paths.ws)};`,
    `const STREAM_TIMEOUT_MS = ${plan.streamTimeoutMs};`,
    '',
    'const metrics = {',
    ...metricLines,
    '};',
    '',
    'export const options = {',
    '  scenarios: {',
    ...scenarioLines,
    '  },',
    '  thresholds: {',
    ...thresholdLines,
    "    checks: ['rate==1'],",
    '  },',
    '};',
    '',
    '/** One stream: seq (lost, duplicated, out of order), latency and time to first frame. */',
    'class Meter {',
    '  constructor(transport) {',
    '    this.m = metrics[transport];',
    '    this.transport = transport;',
    '    this.startedAt = Date.now();',
    '    this.first = true;',
    '    this.highest = 0;',
    '    this.holes = new Set();',
    '    this.duplicated = 0;',
    '    this.reordered = 0;',
    '    this.total = null;',
    '  }',
    '  frame(seq, t, receivedAt) {',
    '    if (this.first) {',
    '      this.first = false;',
    '      this.m.ttft.add(receivedAt - this.startedAt);',
    '    }',
    '    if (seq > this.highest) {',
    '      for (let s = this.highest + 1; s < seq; s++) this.holes.add(s);',
    '      this.highest = seq;',
    '    } else if (this.holes.delete(seq)) this.reordered++;',
    '    else this.duplicated++;',
    '    this.m.latency.add(receivedAt - t);',
    '    this.m.frames.add(1);',
    '  }',
    '  text(data, receivedAt) {',
    '    const message = JSON.parse(data);',
    "    if (message.type === 'frame') this.frame(message.seq, message.t, receivedAt);",
    "    else if (message.type === 'done') this.done(message.total);",
    '  }',
    '  binary(buffer, receivedAt) {',
    '    const view = new DataView(buffer);',
    '    this.frame(view.getUint32(1), view.getFloat64(5), receivedAt);',
    '  }',
    '  done(total) {',
    '    this.total = total;',
    '  }',
    '  finish(why) {',
    '    if (this.finished) return;',
    '    this.finished = true;',
    '    const tail = this.total !== null && this.total > this.highest ? this.total - this.highest : 0;',
    '    this.m.lost.add(this.holes.size + tail);',
    '    this.m.duplicated.add(this.duplicated);',
    '    this.m.reordered.add(this.reordered);',
    '    this.m.streams_complete.add(this.total !== null ? 1 : 0);',
    '    this.m.streams_incomplete.add(this.total !== null ? 0 : 1);',
    '    check(this.total, { [`${this.transport}: stream reached done`]: (t) => t !== null });',
    "    if (this.total === null) console.error(`${this.transport}: ${why} before done`);",
    '  }',
    '}',
    ...(plan.transports.includes('sse') ? sse : []),
    ...(plan.transports.includes('ws') ? ws : []),
  ];
  return `${body.join('\n')}\n`;
}

/** Both scripts for one set of settings, or the reason there are none. */
export function exportLoad(settings: LoadSettings): ParseResult<LoadExport> {
  const plan = planLoad(settings);
  if (!plan.ok) return plan;
  return { ok: true, value: { plan: plan.value, artillery: artilleryScript(plan.value), k6: k6Script(plan.value) } };
}
