/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the visual shape of a series
 * with about one point per pixel. Input must be sorted by x.
 */
export interface Point {
  x: number;
  y: number;
}

export function lttb(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): Point[] {
  const n = Math.min(xs.length, ys.length);
  if (threshold >= n || threshold < 3) {
    const all: Point[] = [];
    for (let i = 0; i < n; i++) all.push({ x: xs[i], y: ys[i] });
    return all;
  }
  const out: Point[] = [{ x: xs[0], y: ys[0] }];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket is the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j];
      avgY += ys[j];
    }
    const span = Math.max(1, nextEnd - nextStart);
    avgX /= span;
    avgY /= span;

    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((xs[a] - avgX) * (ys[j] - ys[a]) - (xs[a] - xs[j]) * (avgY - ys[a]));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push({ x: xs[best], y: ys[best] });
    a = best;
  }
  out.push({ x: xs[n - 1], y: ys[n - 1] });
  return out;
}
