/**
 * One dense live time series per lane, drawn on a canvas by uPlot. The instance is created once per
 * chart and fed with `setData` on every snapshot: a redraw of 3 lanes × 500 points costs about 2 ms
 * (measured on a 2-core box), where the SVG chart it replaced (recharts) spent 20–65 ms on DOM work.
 *
 * Test hooks on the figure (other suites read them): `data-draws` counts redraws, `data-points` is the
 * number of points the last redraw drew across all lanes, `data-lanes` the number of lane lines,
 * `data-digest` a fingerprint of the points drawn (aligned-data.ts `digestData`: equal digests, equal
 * points) and `data-max-x` the end of the time axis.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './live-chart.css';
import type { Point } from '../../metrics/lttb.ts';
import type { TransportKind } from '../../transports/transport.ts';
import type { LaneView } from '../run/run-session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { laneKinds, laneRegistry, laneTitleKeys } from '../lanes/lane-registry.ts';
import { ChartCaption } from './chart-caption.tsx';
import { alignSeries, countPoints, digestData, newestValue } from './aligned-data.ts';

/**
 * Lane lines are one CSS px wide. Where the canvas is rasterised in software (no GPU: headless
 * Chromium, many VMs), Skia draws a stroke of at most one device pixel as an anti-aliased hairline,
 * and anything wider through its supersampling path filler, on the page's main thread. Measured at
 * 3 lanes × 1k msg/s (bench machine, no DevTools attached): 1.5 px lines kept the main thread 43 %
 * busy and the longest animation-frame gap at 41–44 ms; 1 px lines, 20 % and 24–32 ms.
 */
export const LANE_LINE_WIDTH = 1;

/** Canvas height in CSS px, axes included; the chart body has the same fixed height in live-chart.css. */
export const LIVE_CHART_HEIGHT = 150;
/** The screen-reader summary changes at most this often. */
const SUMMARY_EVERY_MS = 1_000;

interface Palette {
  lanes: Record<TransportKind, string>;
  muted: string;
  grid: string;
  border: string;
}

/** The light theme's values, for the moment before the first getComputedStyle. */
const fallbackPalette: Palette = {
  lanes: Object.fromEntries(laneKinds.map((kind) => [kind, laneRegistry[kind].color.fallback])) as Record<TransportKind, string>,
  muted: '#5b6470',
  grid: '#e6e9ee',
  border: '#d9dde3',
};

/** Canvas cannot use `var(--x)`: read the custom properties the page's theme resolves to now. */
function readPalette(el: Element): Palette {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const lanes = { ...fallbackPalette.lanes };
  for (const kind of laneKinds) lanes[kind] = read(laneRegistry[kind].color.cssVar, lanes[kind]);
  return {
    lanes,
    muted: read('--muted', fallbackPalette.muted),
    grid: read('--grid', fallbackPalette.grid),
    border: read('--border', fallbackPalette.border),
  };
}

interface Decorations {
  maxX: number;
  lanes: { kind: TransportKind; bands: LaneView['downtimeBands']; marks: number[] }[];
}

const tick = (value: number) => `${Math.round(value * 10) / 10}`;

/** The y axis starts at 0 (or below, for a negative value) and leaves 5 % above the top value. */
const yRange: uPlot.Range.Function = (_u, min, max) => {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const lo = Math.min(0, min);
  const hi = max > lo ? max : lo + 1;
  return [lo, hi + (hi - lo) * 0.05];
};

/** Wide enough for the longest tick label (about 7 px a character at 12 px), plus the tick. */
const yAxisSize: uPlot.Axis.Size = (_u, values) => {
  const longest = values ? Math.max(1, ...values.map((v) => String(v).length)) : 3;
  return Math.ceil(longest * 7.2) + 12;
};

function clipToPlot(u: uPlot): void {
  const { ctx, bbox } = u;
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
}

export interface LiveChartProps {
  title: string;
  description: string;
  /** The y axis title; also the unit in the screen-reader summary. */
  yLabel: string;
  lanes: LaneView[];
  series: (lane: LaneView) => Point[];
  elapsedS: number;
  testId: string;
  /** A y value as the summary and the hover readout show it, without unit. */
  format: (value: number) => string;
  /** A line in the caption on what the chart cannot show. */
  note?: string;
}

const sameKinds = (a: readonly TransportKind[], b: readonly TransportKind[]) =>
  a.length === b.length && a.every((kind, i) => kind === b[i]);

export function LiveChart({ title, description, yLabel, lanes, series, elapsedS, testId, format, note }: LiveChartProps) {
  const { t } = useI18n();
  const figureRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLSpanElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  /** The lanes the instance's series 1..n stand for, in order. */
  const kindsRef = useRef<readonly TransportKind[]>([]);
  const paletteRef = useRef<Palette>(fallbackPalette);
  const decorationsRef = useRef<Decorations>({ maxX: 1, lanes: [] });
  const namesRef = useRef<string[]>([]);
  const formatRef = useRef(format);
  const summary = useRef({
    text: (): string => '',
    shownAt: -Infinity,
    timer: 0 as ReturnType<typeof setTimeout> | 0,
  });

  // Create the chart once; it lives until the component unmounts.
  useEffect(() => {
    const figure = figureRef.current;
    const body = bodyRef.current;
    const host = plotRef.current;
    if (!figure || !body || !host) return;
    paletteRef.current = readPalette(figure);
    let draws = 0;
    figure.dataset.draws = '0';
    figure.dataset.points = '0';
    figure.dataset.lanes = '0';
    const font = `12px ${getComputedStyle(figure).fontFamily || 'sans-serif'}`;
    const palette = () => paletteRef.current;
    const axisBase = {
      stroke: () => palette().muted,
      font,
      grid: { stroke: () => palette().grid, width: 1, dash: [3, 3] },
      ticks: { stroke: () => palette().border, width: 1, size: 4 },
    };

    const drawBands = (u: uPlot) => {
      const { ctx, bbox } = u;
      const { maxX, lanes: decorated } = decorationsRef.current;
      if (!decorated.some((lane) => lane.bands.length > 0)) return;
      ctx.save();
      clipToPlot(u);
      ctx.globalAlpha = 0.15;
      for (const lane of decorated) {
        ctx.fillStyle = palette().lanes[lane.kind];
        for (const band of lane.bands) {
          const from = u.valToPos(band.from, 'x', true);
          const to = u.valToPos(band.to ?? maxX, 'x', true);
          ctx.fillRect(Math.min(from, to), bbox.top, Math.abs(to - from), bbox.height);
        }
      }
      ctx.restore();
    };

    const drawMarks = (u: uPlot) => {
      const { ctx, bbox } = u;
      const decorated = decorationsRef.current.lanes;
      if (!decorated.some((lane) => lane.marks.length > 0)) return;
      const px = uPlot.pxRatio;
      ctx.save();
      clipToPlot(u);
      ctx.lineWidth = px;
      ctx.setLineDash([4 * px, 3 * px]);
      for (const lane of decorated) {
        ctx.strokeStyle = palette().lanes[lane.kind];
        ctx.beginPath();
        for (const mark of lane.marks) {
          const x = Math.round(u.valToPos(mark, 'x', true)) + 0.5;
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
        }
        ctx.stroke();
      }
      ctx.restore();
    };

    const countDraw = (u: uPlot) => {
      draws++;
      figure.dataset.draws = String(draws);
      figure.dataset.points = String(countPoints(u.data));
      figure.dataset.lanes = String(u.series.length - 1);
      figure.dataset.digest = digestData(u.data);
      figure.dataset.maxX = String(decorationsRef.current.maxX);
    };

    const showReadout = (u: uPlot) => {
      const readout = readoutRef.current;
      if (!readout) return;
      const idx = u.cursor.idx;
      if (idx == null || u.series.length < 2) {
        readout.textContent = '';
        return;
      }
      const parts = [`${tick(u.data[0][idx])} s`];
      for (let s = 1; s < u.series.length; s++) {
        const at = u.cursor.idxs?.[s];
        const value = at == null ? null : u.data[s][at];
        parts.push(`${namesRef.current[s - 1] ?? ''} ${value == null ? '—' : formatRef.current(value)}`);
      }
      readout.textContent = parts.join(' · ');
    };

    const chart = new uPlot(
      {
        width: Math.floor(body.clientWidth),
        height: LIVE_CHART_HEIGHT,
        legend: { show: false },
        // Top: room for half the top tick label; right (auto): for the last x label.
        padding: [10, null, 0, null],
        cursor: { y: false, drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
        scales: { x: { time: false, auto: false, min: 0, max: 1 }, y: { range: yRange } },
        series: [{}],
        axes: [
          { ...axisBase, size: 26, space: 56, values: (_u, splits) => splits.map((v) => `${tick(v)} s`) },
          { ...axisBase, label: '', labelFont: font, labelSize: 16, labelGap: 0, size: yAxisSize, space: 24 },
        ],
        hooks: { drawAxes: [drawBands], draw: [drawMarks, countDraw], setCursor: [showReadout] },
      },
      [[]],
      host,
    );
    chartRef.current = chart;
    kindsRef.current = [];

    const resize = new ResizeObserver((entries) => {
      const width = Math.floor(entries[entries.length - 1].contentRect.width);
      if (width !== chart.width) chart.setSize({ width, height: LIVE_CHART_HEIGHT });
    });
    resize.observe(body);

    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => {
      paletteRef.current = readPalette(figure);
      chart.redraw(false);
    };
    scheme.addEventListener('change', onScheme);

    return () => {
      scheme.removeEventListener('change', onScheme);
      resize.disconnect();
      chart.destroy();
      chartRef.current = null;
      kindsRef.current = [];
    };
  }, []);

  // The axis title follows the language.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.axes[1].label = yLabel;
    chart.redraw(false, true);
  }, [yLabel]);

  // Every snapshot: new data into the same instance, one synchronous redraw.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    formatRef.current = format;
    const kinds = lanes.map((lane) => lane.kind);
    const laneSeries = lanes.map(series);
    namesRef.current = lanes.map((lane) => t(laneTitleKeys[lane.kind]));
    const maxX = Number.isFinite(elapsedS) ? Math.max(1, Math.ceil(elapsedS)) : 1;
    decorationsRef.current = {
      maxX,
      lanes: lanes.map((lane) => ({ kind: lane.kind, bands: lane.downtimeBands, marks: lane.reconnectMarks })),
    };
    const { data } = alignSeries(laneSeries);
    chart.batch(() => {
      if (!sameKinds(kindsRef.current, kinds)) {
        for (let s = chart.series.length - 1; s >= 1; s--) chart.delSeries(s);
        for (const kind of kinds) {
          chart.addSeries({
            label: kind,
            stroke: () => paletteRef.current.lanes[kind],
            width: LANE_LINE_WIDTH,
            points: { show: false },
          });
        }
        kindsRef.current = kinds;
      }
      chart.setData(data);
      chart.setScale('x', { min: 0, max: maxX });
    });

    // The canvas says nothing to a screen reader: a hidden sentence with each lane's newest value,
    // written at most once a second (and only then put together).
    const names = namesRef.current;
    const state = summary.current;
    state.text = () =>
      laneSeries.length === 0
        ? t('charts.noData')
        : t('charts.newest', {
            values: laneSeries
              .map((points, i) => {
                const value = newestValue(points);
                return `${names[i]}: ${value == null ? t('charts.noValue') : `${format(value)} ${yLabel}`}`;
              })
              .join('; '),
          });
    const show = () => {
      state.timer = 0;
      state.shownAt = performance.now();
      const text = state.text();
      if (summaryRef.current && summaryRef.current.textContent !== text) summaryRef.current.textContent = text;
    };
    const since = performance.now() - state.shownAt;
    if (since >= SUMMARY_EVERY_MS) show();
    else if (!state.timer) state.timer = setTimeout(show, SUMMARY_EVERY_MS - since);
  }, [lanes, series, elapsedS, t, format, yLabel]);

  useEffect(() => {
    const state = summary.current;
    return () => {
      if (state.timer) clearTimeout(state.timer);
      state.timer = 0;
      state.shownAt = -Infinity;
    };
  }, []);

  return (
    <figure ref={figureRef} className="chart live-chart" data-testid={testId} aria-label={title}>
      <ChartCaption title={title} description={description} lanes={lanes} note={note} />
      <div ref={bodyRef} className="chart-body live-chart-body" aria-hidden="true">
        <div ref={plotRef} className="live-chart-plot" />
        <span ref={readoutRef} className="live-chart-readout" />
      </div>
      <p ref={summaryRef} className="visually-hidden" />
    </figure>
  );
}
