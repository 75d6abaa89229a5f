/**
 * The bench's results: every figure beside its baseline from the same run, as bench/results.json and as
 * a table on the console.
 */
import { writeFileSync } from 'node:fs';

export interface Figure {
  name: string;
  unit: string;
  value: number | null;
  baseline: number | null;
  /** value / baseline, when both are known and the baseline is not 0. */
  ratio: number | null;
  /** What the figure is judged against, in words ("≤ baseline + 2", "≥ 10", "ratio ≥ 0.9"). */
  target?: string;
  pass?: boolean;
  note?: string;
}

export interface Section {
  id: string;
  title: string;
  /** What the baseline column is. */
  baseline: string;
  figures: Figure[];
  notes: string[];
  /** Set when the section could not finish: the figures it has are what it got to. */
  error?: string;
  seconds?: number;
}

export interface Results {
  generatedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    chromium: string;
    platform: string;
    /** 1, 5 and 15 minute load averages when the run started and ended (other work on the machine). */
    loadAverage: { start: number[]; end: number[] };
  };
  totalSeconds: number;
  sections: Section[];
}

export function figure(
  name: string,
  unit: string,
  value: number | null,
  baseline: number | null,
  judge?: { target: string; pass: (value: number, baseline: number | null, ratio: number | null) => boolean },
  note?: string,
): Figure {
  const ok = (x: number | null): x is number => x !== null && Number.isFinite(x);
  const ratio = ok(value) && ok(baseline) && baseline !== 0 ? round(value / baseline, 3) : null;
  const f: Figure = { name, unit, value: ok(value) ? round(value) : null, baseline: ok(baseline) ? round(baseline) : null, ratio };
  if (judge) {
    f.target = judge.target;
    f.pass = ok(value) ? judge.pass(value, ok(baseline) ? baseline : null, ratio) : false;
  }
  if (note) f.note = note;
  return f;
}

/** Three significant decimals for small numbers, fewer for large ones: the JSON stays readable. */
export function round(x: number, digits?: number): number {
  if (digits !== undefined) return Number(x.toFixed(digits));
  const a = Math.abs(x);
  return Number(x.toFixed(a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3));
}

function cell(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return Math.abs(x) >= 10_000 ? x.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(x);
}

export function printSection(section: Section): void {
  console.log(`\n## ${section.title}${section.seconds !== undefined ? `  (${section.seconds.toFixed(0)} s)` : ''}`);
  console.log(`baseline: ${section.baseline}`);
  const rows = section.figures.map((f) => [
    f.name,
    f.unit,
    cell(f.value),
    cell(f.baseline),
    f.ratio === null ? '—' : f.ratio.toFixed(2),
    f.target ?? '',
    f.pass === undefined ? '' : f.pass ? 'pass' : 'FAIL',
  ]);
  const head = ['figure', 'unit', 'value', 'baseline', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ').trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  for (const f of section.figures) if (f.note) console.log(`  · ${f.name}: ${f.note}`);
  for (const n of section.notes) console.log(`  ${n}`);
  if (section.error) console.log(`  ERROR: ${section.error}`);
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
