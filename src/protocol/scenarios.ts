/**
 * Scenario catalogue: names, parameters, defaults and ranges, and the one parser every entry point
 * (live server, mock handlers, the page's URL) uses, so a bad value gets the same message everywhere.
 */
import { quote } from './json-guard.ts';
export type ScenarioName = 'ticker' | 'llm' | 'burst' | 'chat' | 'binary' | 'agent';

export interface ParamSpec {
  name: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  default: number;
  description: string;
}

export interface ScenarioSpec {
  name: ScenarioName;
  label: string;
  description: string;
  params: readonly ParamSpec[];
}

const seedParam: ParamSpec = {
  name: 'seed',
  label: 'Seed',
  unit: '',
  min: 0,
  max: 2_147_483_647,
  default: 42,
  description: 'Same seed, same frames: in Mock and Live, in every lane.',
};

const sizeParam: ParamSpec = {
  name: 'size',
  label: 'Payload size',
  unit: 'bytes',
  min: 16,
  max: 65_536,
  default: 100,
  description: 'Bytes of payload in each frame (the JSON envelope comes on top).',
};

/**
 * The fastest pace a steady stream (ticker, binary) may ask for, in msg/s. A server can publish and
 * enforce another cap (`scenarioCatalogue(maxRate)`; the live server reads LAB_MAX_RATE); the engine
 * itself (Mock mode, the page's own checks) keeps this one.
 */
export const DEFAULT_MAX_RATE = 20_000;

/** The range a server's own rate cap may take (LAB_MAX_RATE): never below any scenario's default rate. */
export const maxRateSpec: ParamSpec = {
  name: 'LAB_MAX_RATE',
  label: 'Rate cap',
  unit: 'msg/s',
  min: 1_000,
  max: 1_000_000,
  default: DEFAULT_MAX_RATE,
  description: 'The highest rate a ticker or binary stream may ask for.',
};

const rateParam: ParamSpec = {
  name: 'rate',
  label: 'Rate',
  unit: 'msg/s',
  min: 1,
  max: DEFAULT_MAX_RATE,
  default: 200,
  description: 'Frames per second, paced by the sender.',
};

const countParam: ParamSpec = {
  name: 'count',
  label: 'Frames',
  unit: '',
  min: 0,
  max: 10_000_000,
  default: 0,
  description: 'Frames to send before the stream ends; 0 runs until you press Stop.',
};

export const scenarios: readonly ScenarioSpec[] = [
  {
    name: 'ticker',
    label: 'Ticker',
    description: 'A steady stream: fixed rate, fixed payload size.',
    params: [
      rateParam,
      sizeParam,
      countParam,
      seedParam,
    ],
  },
  {
    name: 'llm',
    label: 'LLM tokens',
    description:
      'A chat answer streamed token by token: a pause before the first token, an uneven pace, an end marker.',
    params: [
      {
        name: 'ttft',
        label: 'Time to first token',
        unit: 'ms',
        min: 0,
        max: 10_000,
        default: 600,
        description: 'How long the "model" thinks before the first token.',
      },
      {
        name: 'tokens',
        label: 'Tokens',
        unit: '',
        min: 1,
        max: 20_000,
        default: 300,
        description: 'Tokens in the answer; an end marker follows the last one.',
      },
      {
        name: 'tps',
        label: 'Mean pace',
        unit: 'tokens/s',
        min: 1,
        max: 2_000,
        default: 40,
        description: 'Average tokens per second; single gaps vary around it, with an occasional stall.',
      },
      seedParam,
    ],
  },
  {
    name: 'burst',
    label: 'Bursts',
    description: 'Silence, then many frames at once: how each transport copes with a backlog.',
    params: [
      {
        name: 'burst',
        label: 'Frames per burst',
        unit: '',
        min: 1,
        max: 10_000,
        default: 50,
        description: 'Frames sent back to back in each burst.',
      },
      {
        name: 'interval',
        label: 'Interval',
        unit: 'ms',
        min: 1,
        max: 60_000,
        default: 1_000,
        description: 'Time between the starts of two bursts.',
      },
      sizeParam,
      countParam,
      seedParam,
    ],
  },
  {
    name: 'chat',
    label: 'Two-way chat',
    description:
      'The user talks while the stream runs: WebSocket sends on its socket, the SSE lanes need a POST /api/chat side channel.',
    params: [
      {
        name: 'messages',
        label: 'User messages',
        unit: '',
        min: 1,
        max: 200,
        default: 20,
        description: 'Messages the page sends, one every gap, in every lane.',
      },
      {
        name: 'gap',
        label: 'Gap',
        unit: 'ms',
        min: 20,
        max: 10_000,
        default: 200,
        description: 'Time between two user messages.',
      },
      {
        name: 'rate',
        label: 'Stream rate',
        unit: 'msg/s',
        min: 1,
        max: 1_000,
        default: 20,
        description: 'The stream that keeps running while the user talks.',
      },
      seedParam,
    ],
  },
  {
    name: 'binary',
    label: 'Binary data',
    description:
      'Random bytes at a steady rate: WebSocket sends them as binary messages, the SSE lanes as base64 text.',
    params: [
      { ...rateParam, default: 50 },
      {
        ...sizeParam,
        default: 1_024,
        description: 'Random bytes in each frame (a 13-byte header comes on top).',
      },
      countParam,
      seedParam,
    ],
  },
  {
    name: 'agent',
    label: 'Agent loop',
    description:
      'Many turns: each step streams tokens and ends in a tool call; the page runs the tool and sends the result; the next step streams.',
    params: [
      {
        name: 'turns',
        label: 'Turns',
        unit: '',
        min: 1,
        max: 200,
        default: 20,
        description: 'Tool calls in the run: each one is answered by the page, then the next step streams (a final answer follows the last).',
      },
      {
        name: 'tokens',
        label: 'Tokens/step',
        unit: '',
        min: 1,
        max: 500,
        default: 20,
        description: 'Tokens each step streams before its tool call.',
      },
      {
        name: 'ttft',
        label: 'Think',
        unit: 'ms',
        min: 0,
        max: 10_000,
        default: 100,
        description: 'How long the "model" thinks before the first token of each step.',
      },
      {
        name: 'tool',
        label: 'Tool',
        unit: 'ms',
        min: 0,
        max: 60_000,
        default: 50,
        description: 'How long the page takes to run each tool before it sends the result.',
      },
      {
        name: 'result',
        label: 'Result',
        unit: 'bytes',
        min: 16,
        max: 2_000,
        default: 400,
        description: 'Characters in each tool result the page sends back.',
      },
      {
        name: 'sessionLoadMs',
        label: 'Modelled load',
        unit: 'ms',
        min: 0,
        max: 5_000,
        default: 0,
        description:
          'Modelled server cost: an HTTP turn (a POST carrying a tool result) waits this long before its step starts, as if the server loaded the session. WebSocket keeps the session on its socket.',
      },
      seedParam,
    ],
  },
];

export type ScenarioParams = Record<string, number>;

export interface ScenarioConfig {
  scenario: ScenarioName;
  params: ScenarioParams;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function findScenario(name: string): ScenarioSpec | undefined {
  return scenarios.find((s) => s.name === name);
}

export function defaultParams(spec: ScenarioSpec): ScenarioParams {
  return Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
}

export function describeRange(p: ParamSpec): string {
  return `an integer from ${p.min} to ${p.max}${p.unit ? ` (${p.unit})` : ''}`;
}

/** Checks one raw value against its spec. */
export function parseParam(p: ParamSpec, raw: string | undefined): ParseResult<number> {
  if (raw === undefined || raw === '') return { ok: true, value: p.default };
  const trimmed = raw.trim();
  const value = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < p.min || value > p.max) {
    return {
      ok: false,
      error: `${p.name} must be ${describeRange(p)}; got ${quote(raw)}`,
    };
  }
  return { ok: true, value };
}

type RawQuery = URLSearchParams | Readonly<Record<string, string | undefined>>;

function read(query: RawQuery, key: string): string | undefined {
  if (query instanceof URLSearchParams) return query.get(key) ?? undefined;
  return query[key];
}

/**
 * Turns query parameters into a validated scenario config. Parameters that the scenario does not
 * define are ignored (the same query string also carries `mode`, `after`, ...).
 */
export function parseScenarioQuery(
  query: RawQuery,
  /** The catalogue to check against: a server with its own rate cap passes `scenarioCatalogue(cap).scenarios`. */
  catalogue: readonly ScenarioSpec[] = scenarios,
): ParseResult<ScenarioConfig> {
  const name = read(query, 'scenario') ?? 'ticker';
  const spec = catalogue.find((s) => s.name === name);
  if (!spec) {
    return {
      ok: false,
      error: `scenario must be one of ${catalogue.map((s) => s.name).join(', ')}; got ${quote(name)}`,
    };
  }
  const params: ScenarioParams = {};
  for (const p of spec.params) {
    const parsed = parseParam(p, read(query, p.name));
    if (!parsed.ok) return parsed;
    params[p.name] = parsed.value;
  }
  return { ok: true, value: { scenario: spec.name, params } };
}

/** The query string for a config, parameters in catalogue order. */
export function scenarioQuery(config: ScenarioConfig): URLSearchParams {
  const q = new URLSearchParams({ scenario: config.scenario });
  const spec = findScenario(config.scenario);
  for (const p of spec?.params ?? []) {
    const v = config.params[p.name];
    if (v !== undefined) q.set(p.name, String(v));
  }
  return q;
}

/**
 * The catalogue with the steady streams' rate cap (every `rate` whose range ends at DEFAULT_MAX_RATE)
 * set to `maxRate`; the chat scenario's side stream keeps its own, lower cap.
 */
function withMaxRate(maxRate: number): readonly ScenarioSpec[] {
  if (maxRate === DEFAULT_MAX_RATE) return scenarios;
  return scenarios.map((s) => ({
    ...s,
    params: s.params.map((p) => (p.name === 'rate' && p.max === DEFAULT_MAX_RATE ? { ...p, max: maxRate } : p)),
  }));
}

/** What `/api/info` publishes and the page renders its inputs from; `maxRate`: the server's rate cap. */
export function scenarioCatalogue(maxRate: number = DEFAULT_MAX_RATE): { scenarios: readonly ScenarioSpec[] } {
  return { scenarios: withMaxRate(maxRate) };
}
