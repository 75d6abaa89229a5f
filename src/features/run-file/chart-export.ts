/**
 * The run's two live charts as pictures:
 *
 * - SVG (`chartsSvg`, pure): drawn again from the same series the canvas charts draw (each lane's
 *   latency and frames series, reconnect marks, outage bands), as vector lines with axes and a legend.
 * - PNG (`chartsPng`, DOM): the canvases uPlot has drawn on the page, put one under the other with
 *   their titles, through `canvas.toBlob`.
 */
import type { Point } from '../../metrics/lttb.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { laneRegistry } from '../lanes/lane-registry.ts';
import type { LaneView } from '../run/run-session.ts';

export interface ChartText {
  latencyTitle: string;
  framesTitle: string;
  framesAxis: string;
  laneTitle(kind: TransportKind): string;
  /** A line under the titles: what run this is. */
  caption: string;
}

const WIDTH = 960;
const PANEL = 260;
const PAD = { left: 64, right: 16, top: 40, bottom: 34 };

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** About five round tick values from 0 to max. */
export function ticks(max: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const raw = max / 5;
  const step = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += nice) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function panel(
  top: number,
  title: string,
  unit: string,
  lanes: readonly LaneView[],
  seriesOf: (lane: LaneView) => Point[],
  maxX: number,
  text: ChartText,
): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = PANEL - PAD.top - PAD.bottom;
  let maxY = 0;
  for (const lane of lanes) for (const p of seriesOf(lane)) if (Number.isFinite(p.y) && p.y > maxY) maxY = p.y;
  maxY = maxY > 0 ? maxY * 1.05 : 1;
  const sx = (x: number) => PAD.left + (x / maxX) * plotW;
  const sy = (y: number) => top + PAD.top + plotH - (y / maxY) * plotH;
  const f = (v: number) => v.toFixed(2);
  const parts: string[] = [];
  parts.push(`<g class="chart" data-chart="${escapeXml(title)}">`);
  parts.push(`<text x="${PAD.left}" y="${top + 22}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  let legendX = WIDTH - PAD.right;
  for (const lane of [...lanes].reverse()) {
    const name = text.laneTitle(lane.kind);
    legendX -= name.length * 7.5 + 28;
    const color = laneRegistry[lane.kind].color.fallback;
    parts.push(`<rect x="${f(legendX)}" y="${top + 12}" width="12" height="12" fill="${color}"/>`);
    parts.push(`<text x="${f(legendX + 16)}" y="${top + 22}" font-size="12">${escapeXml(name)}</text>`);
  }
  // Outage bands, then axes and grid, then the lines and the reconnect marks.
  for (const lane of lanes) {
    const color = laneRegistry[lane.kind].color.fallback;
    for (const band of lane.downtimeBands) {
      const from = sx(band.from);
      const to = sx(band.to ?? maxX);
      parts.push(`<rect x="${f(Math.min(from, to))}" y="${top + PAD.top}" width="${f(Math.abs(to - from))}" height="${plotH}" fill="${color}" fill-opacity="0.15"/>`);
    }
  }
  for (const y of ticks(maxY)) {
    parts.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${f(sy(y))}" y2="${f(sy(y))}" stroke="#e6e9ee" stroke-dasharray="3 3"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${f(sy(y) + 4)}" font-size="11" text-anchor="end" fill="#5b6470">${y}</text>`);
  }
  for (const x of ticks(maxX)) {
    parts.push(`<text x="${f(sx(x))}" y="${top + PANEL - 14}" font-size="11" text-anchor="middle" fill="#5b6470">${x} s</text>`);
  }
  parts.push(`<text x="14" y="${f(top + PAD.top + plotH / 2)}" font-size="11" fill="#5b6470" transform="rotate(-90 14 ${f(top + PAD.top + plotH / 2)})" text-anchor="middle">${escapeXml(unit)}</text>`);
  parts.push(`<rect x="${PAD.left}" y="${top + PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#d9dde3"/>`);
  for (const lane of lanes) {
    const color = laneRegistry[lane.kind].color.fallback;
    const points = seriesOf(lane)
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
      .map((p) => `${f(sx(p.x))},${f(sy(p.y))}`)
      .join(' ');
    parts.push(`<polyline data-lane="${lane.kind}" fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/>`);
    for (const mark of lane.reconnectMarks) {
      parts.push(`<line x1="${f(sx(mark))}" x2="${f(sx(mark))}" y1="${top + PAD.top}" y2="${top + PAD.top + plotH}" stroke="${color}" stroke-dasharray="4 3"/>`);
    }
  }
  parts.push('</g>');
  return parts.join('');
}

/** Both live charts of a run as one SVG document. */
export function chartsSvg(lanes: readonly LaneView[], elapsedS: number, text: ChartText): string {
  const maxX = Number.isFinite(elapsedS) ? Math.max(1, Math.ceil(elapsedS)) : 1;
  const height = 28 + PANEL * 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Liberation Sans, Noto Sans CJK SC, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="18" font-size="12" fill="#5b6470">${escapeXml(text.caption)}</text>`,
    panel(28, text.latencyTitle, 'ms', lanes, (lane) => lane.latencySeries, maxX, text),
    panel(28 + PANEL, text.framesTitle, text.framesAxis, lanes, (lane) => lane.framesSeries, maxX, text),
    '</svg>',
  ].join('\n');
}

/** The canvases of the live charts inside `root`, one under the other, with their titles, as a PNG. */
export async function chartsPng(root: ParentNode, caption: string): Promise<Blob> {
  const figures = [...root.querySelectorAll<HTMLElement>('[data-testid="latency-chart"], [data-testid="frames-chart"]')];
  const parts = figures.flatMap((figure) => {
    const canvas = figure.querySelector('canvas');
    const title = figure.querySelector('figcaption strong')?.textContent ?? '';
    return canvas ? [{ canvas, title }] : [];
  });
  const scale = parts[0] ? parts[0].canvas.width / Math.max(1, parts[0].canvas.clientWidth || parts[0].canvas.width) : 1;
  const titleH = Math.round(24 * scale);
  const width = Math.max(1, ...parts.map((p) => p.canvas.width));
  const height = titleH + parts.reduce((sum, p) => sum + titleH + p.canvas.height, 0);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1b1f24';
  ctx.font = `${Math.round(13 * scale)}px sans-serif`;
  ctx.fillText(caption, 8 * scale, titleH * 0.7);
  let y = titleH;
  for (const part of parts) {
    ctx.font = `bold ${Math.round(14 * scale)}px sans-serif`;
    ctx.fillText(part.title, 8 * scale, y + titleH * 0.75);
    y += titleH;
    ctx.drawImage(part.canvas, 0, y);
    y += part.canvas.height;
  }
  return new Promise((resolve, reject) => {
    out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob gave nothing'))), 'image/png');
  });
}
