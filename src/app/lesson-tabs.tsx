/**
 * The lesson panels (faults, connection limit, inspector, claims) as tabs under the charts: one open
 * at a time, the URL remembers which (`panel=`), arrow keys move between tabs. Every panel stays
 * mounted while hidden, so a demo's result is still there when its tab is opened again.
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { lessonPanels, type LessonPanel } from './url-state.ts';

const tabTitles = {
  faults: 'faults.title',
  limit: 'limit.title',
  inspector: 'inspector.title',
  apis: 'apis.tab',
  claims: 'claims.title',
  runs: 'runs.title',
} as const satisfies Record<LessonPanel, MessageKey>;

export function LessonTabs({
  panel,
  onPanelChange,
  panels,
}: {
  panel: LessonPanel;
  onPanelChange(panel: LessonPanel): void;
  panels: Record<LessonPanel, ReactNode>;
}) {
  const { t } = useI18n();
  const ids = useId();
  const tabs = useRef(new Map<LessonPanel, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = lessonPanels.indexOf(panel);
    const next =
      event.key === 'ArrowRight'
        ? lessonPanels[(at + 1) % lessonPanels.length]
        : event.key === 'ArrowLeft'
          ? lessonPanels[(at - 1 + lessonPanels.length) % lessonPanels.length]
          : event.key === 'Home'
            ? lessonPanels[0]
            : event.key === 'End'
              ? lessonPanels[lessonPanels.length - 1]
              : null;
    if (!next) return;
    event.preventDefault();
    onPanelChange(next);
    tabs.current.get(next)?.focus();
  };

  return (
    <section className="lessons" aria-label={t('lessons.region')}>
      <div className="lesson-tabs" role="tablist" aria-label={t('lessons.region')} onKeyDown={onKeyDown}>
        {lessonPanels.map((id) => (
          <button
            key={id}
            ref={(element) => {
              if (element) tabs.current.set(id, element);
              else tabs.current.delete(id);
            }}
            type="button"
            role="tab"
            id={`${ids}-tab-${id}`}
            aria-selected={panel === id}
            aria-controls={`section-${id}`}
            tabIndex={panel === id ? 0 : -1}
            data-testid={`lesson-tab-${id}`}
            onClick={() => onPanelChange(id)}
          >
            {t(tabTitles[id])}
          </button>
        ))}
      </div>
      {lessonPanels.map((id) => (
        <div
          key={id}
          id={`section-${id}`}
          role="tabpanel"
          aria-labelledby={`${ids}-tab-${id}`}
          hidden={panel !== id}
          className="lesson-panel"
        >
          {panels[id]}
        </div>
      ))}
    </section>
  );
}
