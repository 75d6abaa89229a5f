/**
 * The chat round-trip chart: a few dozen points at most, so recharts' SVG redraw stays cheap here.
 * Loaded lazily by run-charts.tsx, only when a chat run shows it.
 */
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { LiveChartProps } from './live-chart.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { laneRegistry, laneTitleKeys } from '../lanes/lane-registry.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { ChartCaption } from './chart-caption.tsx';

const color = (kind: TransportKind) => `var(${laneRegistry[kind].color.cssVar})`;

/** The live charts' props, less their value format (recharts' tooltip formats its own). */
type ChartProps = Omit<LiveChartProps, 'format'>;

const tickFormat = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 10) / 10}` : '');

/** The sparse RTT chart: an SVG chart (recharts) is cheap enough for a few dozen points. */
export default function TimeChart({ title, description, yLabel, lanes, series, elapsedS, testId }: ChartProps) {
  const { t } = useI18n();
  const maxX = Math.max(1, Math.ceil(elapsedS));
  return (
    <figure className="chart" data-testid={testId} aria-label={title}>
      <ChartCaption title={title} description={description} lanes={lanes} />
      <div className="chart-body">
        <ResponsiveContainer width="100%" height={220}>
          <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={[0, maxX]}
              allowDataOverflow
              tickFormatter={tickFormat}
              stroke="var(--muted)"
              unit=" s"
              fontSize={12}
            />
            <YAxis stroke="var(--muted)" fontSize={12} width={56} tickFormatter={tickFormat} label={{ value: yLabel, angle: -90, position: 'insideLeft', fill: 'var(--muted)', fontSize: 12 }} />
            <Tooltip
              isAnimationActive={false}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
              formatter={(value) => (typeof value === 'number' ? value.toFixed(2) : String(value))}
              labelFormatter={(label) => (typeof label === 'number' ? `${label.toFixed(2)} s` : String(label))}
            />
            {lanes.map((lane) => (
              <Line
                key={lane.kind}
                name={t(laneTitleKeys[lane.kind])}
                data={series(lane)}
                dataKey="y"
                type="linear"
                stroke={color(lane.kind)}
                strokeWidth={1.5}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
            {lanes.flatMap((lane) =>
              lane.downtimeBands.map((band, i) => (
                <ReferenceArea
                  key={`${lane.kind}-down-${i}`}
                  x1={band.from}
                  x2={band.to ?? maxX}
                  fill={color(lane.kind)}
                  fillOpacity={0.15}
                  stroke="none"
                  ifOverflow="hidden"
                />
              )),
            )}
            {lanes.flatMap((lane) =>
              lane.reconnectMarks.map((x, i) => (
                <ReferenceLine
                  key={`${lane.kind}-${i}`}
                  x={x}
                  stroke={color(lane.kind)}
                  strokeDasharray="4 3"
                  ifOverflow="hidden"
                />
              )),
            )}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

