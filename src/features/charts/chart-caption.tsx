/** A chart's caption: its title, what it plots, and a legend of the lanes drawn (colour by lane). */
import type { LaneView } from '../run/run-session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { laneTitleKeys } from '../lanes/lane-registry.ts';

export function ChartCaption({
  title,
  description,
  lanes,
  note,
}: {
  title: string;
  description: string;
  lanes: readonly LaneView[];
  /** What the chart cannot show (URL mode: lanes without t). */
  note?: string;
}) {
  const { t } = useI18n();
  return (
    <figcaption>
      <strong>{title}</strong> <span title={description}>{description}</span>
      {note ? (
        <span className="chart-note" data-testid="chart-note" title={note}>
          {' '}
          {note}
        </span>
      ) : null}
      <span className="legend" aria-hidden="true">
        {lanes.map((lane) => (
          <span key={lane.kind} className={`legend-item legend-${lane.kind}`}>
            {t(laneTitleKeys[lane.kind])}
          </span>
        ))}
      </span>
    </figcaption>
  );
}
