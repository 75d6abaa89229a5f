/**
 * Latency and frames over time for every lane, and the chat round trips. Series arrive already
 * downsampled (about one point per pixel) from the snapshot.
 *
 * The two dense live series (latency, frames: up to 5 lanes × 500 points, redrawn at 10 Hz) are drawn
 * on a canvas by uPlot (live-chart.tsx): recharts' SVG redraw of them cost 20–65 ms of main thread.
 * The RTT chart has a few dozen points at most and stays on recharts (rtt-chart.tsx, loaded only for
 * a chat run), which meets the target there.
 *
 * Loaded lazily (`React.lazy(() => import('./run-charts.tsx'))`): hence the default export.
 */
import { lazy, memo, Suspense } from 'react';
import type { LaneView } from '../run/run-session.ts';
import { LiveChart } from './live-chart.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { laneTitleKeys } from '../lanes/lane-registry.ts';

/** recharts (and its d3 parts) load only when a chat run shows round trips. */
const RttChart = lazy(() => import('./rtt-chart.tsx'));

const latencyOf = (lane: LaneView) => lane.latencySeries;
const framesOf = (lane: LaneView) => lane.framesSeries;
const rttOf = (lane: LaneView) => lane.chat.rttSeries;
const formatMs = (value: number) => value.toFixed(2);
const formatCount = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * `memo` skips the renders between two chart snapshots; the two live charts redraw in place
 * (`setData` on one uPlot instance each), so a snapshot costs a few ms, not tens.
 */
export const RunCharts = memo(function RunCharts({
  lanes,
  elapsedS,
  showRtt,
}: {
  lanes: LaneView[];
  elapsedS: number;
  showRtt: boolean;
}) {
  const { t } = useI18n();
  // URL mode: lanes whose frames carry no send time have no latency to draw; the caption says so.
  const untimed = lanes.filter((lane) => lane.foreign?.latency === 'not-measurable').map((lane) => t(laneTitleKeys[lane.kind]));
  return (
    <section className="charts" aria-label={t('charts.region')}>
      <LiveChart
        title={t('charts.latency.title')}
        description={t('charts.latency.description')}
        yLabel="ms"
        lanes={lanes}
        series={latencyOf}
        elapsedS={elapsedS}
        testId="latency-chart"
        format={formatMs}
        note={untimed.length > 0 ? t('charts.notMeasurable', { lanes: untimed.join(', ') }) : undefined}
      />
      <LiveChart
        title={t('charts.frames.title')}
        description={t('charts.frames.description')}
        yLabel={t('charts.frames.axis')}
        lanes={lanes}
        series={framesOf}
        elapsedS={elapsedS}
        testId="frames-chart"
        format={formatCount}
      />
      {showRtt ? (
        <Suspense fallback={null}>
        <RttChart
          title={t('charts.rtt.title')}
          description={t('charts.rtt.description')}
          yLabel="ms"
          lanes={lanes}
          series={rttOf}
          elapsedS={elapsedS}
          testId="rtt-chart"
        />
        </Suspense>
      ) : null}
    </section>
  );
});

export default RunCharts;
