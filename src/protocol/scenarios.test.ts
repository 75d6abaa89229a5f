import { describe, expect, it } from 'vitest';
import {
  defaultParams,
  parseScenarioQuery,
  scenarioQuery,
  scenarios,
  type ParamSpec,
  type ScenarioConfig,
  type ScenarioSpec,
} from './scenarios.ts';

function spec(name: string): ScenarioSpec {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
}

function expectError(result: ReturnType<typeof parseScenarioQuery>): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const rangeText = (p: ParamSpec) => `from ${p.min} to ${p.max}`;

/** Every (scenario, param) pair in the catalogue. */
const paramCases = scenarios.flatMap((s) => s.params.map((p) => ({ scenario: s.name, param: p })));

describe('parseScenarioQuery', () => {
  it('defaults to the ticker scenario with every default parameter', () => {
    const result = parseScenarioQuery(new URLSearchParams());
    expect(result).toEqual({
      ok: true,
      value: { scenario: 'ticker', params: { rate: 200, size: 100, count: 0, seed: 42 } },
    });
  });

  it.each(scenarios.map((s) => s.name))('fills in the catalogue defaults for %s', (name) => {
    const result = parseScenarioQuery({ scenario: name });
    expect(result).toEqual({ ok: true, value: { scenario: name, params: defaultParams(spec(name)) } });
  });

  it('treats an empty parameter as "use the default"', () => {
    const result = parseScenarioQuery(new URLSearchParams('scenario=llm&tokens=&ttft=5'));
    expect(result).toEqual({
      ok: true,
      value: { scenario: 'llm', params: { ttft: 5, tokens: 300, tps: 40, seed: 42 } },
    });
  });

  it('accepts both URLSearchParams and a plain record', () => {
    const fromSearch = parseScenarioQuery(new URLSearchParams('scenario=burst&burst=3&interval=7'));
    const fromRecord = parseScenarioQuery({ scenario: 'burst', burst: '3', interval: '7' });
    expect(fromSearch).toEqual(fromRecord);
    expect(fromSearch.ok && fromSearch.value.params).toMatchObject({ burst: 3, interval: 7 });
  });

  it('accepts the exact bounds of every parameter', () => {
    for (const { scenario, param } of paramCases) {
      for (const bound of [param.min, param.max]) {
        const result = parseScenarioQuery({ scenario, [param.name]: String(bound) });
        expect(result.ok && result.value.params[param.name], `${scenario}.${param.name}=${bound}`).toBe(bound);
      }
    }
  });

  it('ignores parameters the scenario does not define', () => {
    const result = parseScenarioQuery(new URLSearchParams('scenario=ticker&mode=live&after=12&tokens=-5'));
    expect(result).toEqual({
      ok: true,
      value: { scenario: 'ticker', params: defaultParams(spec('ticker')) },
    });
  });

  describe.each(paramCases.map((c) => [`${c.scenario}.${c.param.name}`, c] as const))(
    '%s is rejected outside its range',
    (_label, { scenario, param }) => {
      const bad: [string, string][] = [
        ['below min', String(param.min - 1)],
        ['above max', String(param.max + 1)],
        ['a fraction', '1.5'],
        ['a word', 'abc'],
        ['an exponent', '1e3'],
        ['hex', '0x10'],
      ];
      it.each(bad)('%s (%s)', (_what, raw) => {
        const error = expectError(parseScenarioQuery({ scenario, [param.name]: raw }));
        expect(error).toContain(param.name);
        expect(error).toContain(rangeText(param));
        expect(error).toContain(JSON.stringify(raw));
      });
    },
  );

  it('reports the unit of a parameter in its error', () => {
    const error = expectError(parseScenarioQuery({ scenario: 'llm', ttft: '10001' }));
    expect(error).toBe('ttft must be an integer from 0 to 10000 (ms); got "10001"');
  });

  it('rejects an unknown scenario and names the valid ones', () => {
    const error = expectError(parseScenarioQuery({ scenario: 'telepathy' }));
    expect(error).toContain('"telepathy"');
    for (const s of scenarios) expect(error).toContain(s.name);
    expect(error).toBe('scenario must be one of ticker, llm, burst, chat, binary, agent; got "telepathy"');
  });
});

describe('scenarioQuery', () => {
  const configs: ScenarioConfig[] = [
    { scenario: 'ticker', params: { rate: 1, size: 16, count: 10_000_000, seed: 0 } },
    { scenario: 'llm', params: { ttft: 0, tokens: 20_000, tps: 2_000, seed: 2_147_483_647 } },
    { scenario: 'burst', params: { burst: 10, interval: 250, size: 65_536, count: 0, seed: 7 } },
    ...scenarios.map((s) => ({ scenario: s.name, params: defaultParams(s) })),
  ];

  it.each(configs)('round-trips $scenario through parseScenarioQuery', (config) => {
    const query = scenarioQuery(config);
    expect(parseScenarioQuery(query)).toEqual({ ok: true, value: config });
    // And through the text of a URL, as the page and the server see it.
    expect(parseScenarioQuery(new URLSearchParams(query.toString()))).toEqual({ ok: true, value: config });
  });

  it('writes the scenario first and the parameters in catalogue order', () => {
    const query = scenarioQuery({ scenario: 'llm', params: { seed: 1, tps: 2, tokens: 3, ttft: 4 } });
    expect(query.toString()).toBe('scenario=llm&ttft=4&tokens=3&tps=2&seed=1');
  });

  it('leaves out parameters that the scenario does not define', () => {
    const query = scenarioQuery({ scenario: 'ticker', params: { rate: 5, tokens: 9 } });
    expect(query.toString()).toBe('scenario=ticker&rate=5');
  });
});
