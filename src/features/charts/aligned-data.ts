/**
 * uPlot draws lines from one shared, ascending x array with one y array per series ("aligned data").
 * The lanes sample at their own receive times, so their x values differ: merge them into one sorted x
 * array and give each lane a value only at its own x values.
 *
 * uPlot's convention (the same as its own `uPlot.join`): `undefined` marks an alignment artifact (this
 * lane has no sample at that x) and the line runs on across it; `null` is a real gap and breaks the
 * line. A lane's non-finite y becomes `null`, so it shows as a gap instead of a NaN on the canvas.
 */
import type { Point } from '../../metrics/lttb.ts';

export type LaneValues = (number | null | undefined)[];
export type AlignedSeries = [xs: number[], ...lanes: LaneValues[]];

export interface Aligned {
  data: AlignedSeries;
  /** Samples with a finite y, across all lanes: what the chart draws. */
  points: number;
}

const byX = (a: Point, b: Point) => a.x - b.x;

function sortedFinite(series: readonly Point[]): readonly Point[] {
  let sorted = true;
  let finite = true;
  for (let i = 0; i < series.length; i++) {
    if (!Number.isFinite(series[i].x)) finite = false;
    else if (i > 0 && series[i].x < series[i - 1].x) sorted = false;
  }
  if (sorted && finite) return series;
  const kept = series.filter((p) => Number.isFinite(p.x));
  return sorted ? kept : kept.sort(byX);
}

/**
 * Merges per-lane series into uPlot's aligned data. Each lane's points keep their order; equal x
 * values across lanes share one row, and a lane with the same x twice gets two rows (the other
 * lanes have `undefined` in the second).
 */
export function alignSeries(input: readonly (readonly Point[])[]): Aligned {
  const series = input.map(sortedFinite);
  const k = series.length;
  const lengths = series.map((points) => points.length);
  const total = lengths.reduce((sum, n) => sum + n, 0);
  // Preallocated at the most rows there can be (no shared x), cut to the rows used at the end.
  const xs = new Array<number>(total);
  const lanes: LaneValues[] = series.map(() => new Array<number | null | undefined>(total).fill(undefined));
  const heads = new Array<number>(k).fill(0);
  let rows = 0;
  let points = 0;
  for (;;) {
    let x = Infinity;
    for (let s = 0; s < k; s++) {
      const head = heads[s];
      if (head < lengths[s] && series[s][head].x < x) x = series[s][head].x;
    }
    if (x === Infinity) break;
    xs[rows] = x;
    for (let s = 0; s < k; s++) {
      const head = heads[s];
      if (head < lengths[s] && series[s][head].x === x) {
        const y = series[s][head].y;
        if (Number.isFinite(y)) {
          lanes[s][rows] = y;
          points++;
        } else {
          lanes[s][rows] = null;
        }
        heads[s] = head + 1;
      }
    }
    rows++;
  }
  xs.length = rows;
  for (const lane of lanes) lane.length = rows;
  return { data: [xs, ...lanes], points };
}

/** The newest finite y of a series, or null. */
export function newestValue(series: readonly Point[]): number | null {
  for (let i = series.length - 1; i >= 0; i--) {
    if (Number.isFinite(series[i].y)) return series[i].y;
  }
  return null;
}

/** Values a chart draws: numbers in the lane arrays (index 1 on) of aligned data. */
export function countPoints(data: readonly (ArrayLike<number | null | undefined>)[]): number {
  let n = 0;
  for (let s = 1; s < data.length; s++) {
    const ys = data[s];
    for (let i = 0; i < ys.length; i++) if (ys[i] != null) n++;
  }
  return n;
}

const digestFloat = new Float64Array(1);
const digestWords = new Uint32Array(digestFloat.buffer);

/**
 * A short fingerprint (FNV-1a, 32 bits, hex) of aligned data, bit for bit: two charts with the same
 * digest drew the same points. The live charts put it on their figure (`data-digest`), so a test can
 * tell that a run imported from a file draws exactly what the run drew.
 */
export function digestData(data: readonly (ArrayLike<number | null | undefined>)[]): string {
  // FNV-1a inlined, `hash` a plain local: a closure over it made V8 box every intermediate 32-bit
  // value as a heap number (≈ 2 MB/s of garbage on the page's main thread at 15 redraws/s).
  let hash = 0x811c9dc5;
  for (const values of data) {
    hash = Math.imul(hash ^ values.length, 0x01000193);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value == null) {
        hash = Math.imul(hash ^ (value === null ? 1 : 2), 0x01000193);
        continue;
      }
      digestFloat[0] = value;
      hash = Math.imul(hash ^ digestWords[0], 0x01000193);
      hash = Math.imul(hash ^ digestWords[1], 0x01000193);
    }
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
