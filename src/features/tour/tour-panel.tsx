/**
 * The guided tour's panel: one step at a time, its demo one click away, Back / Next, keyboard control.
 *
 * Entering a step with Back, Next or the keyboard runs its demo at once (the page scrolls to where its
 * numbers appear); opening the tour (a shared link, the header button) shows the step and waits for
 * "Run this step's demo", unless `autorun` (the link had `autostart=1`). Live-only steps in Mock mode
 * run nothing and offer to switch to Live instead.
 */
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { RunDemo } from '../claims/demo-id.ts';
import type { Mode } from '../run/use-run.ts';
import { clampTourStep, isTypingElement, tourKeyAction, tourSteps, type TourStep } from './tour-steps.ts';

export interface TourPanelProps {
  /** 1-based step number (clamped here as well). */
  step: number;
  mode: Mode;
  runDemo: RunDemo;
  onStepChange(step: number): void;
  /** Exit tour, Finish on the last step, or Escape. */
  onExit(): void;
  onSwitchToLive(): void;
  /** Run the opening step's demo when the panel mounts (a link with `autostart=1`). */
  autorun?: boolean;
  /** Move focus to the step heading when the panel mounts (opened from the header button). */
  focusOnMount?: boolean;
  /** Called with each step as it is left (and with the last one on exit), e.g. to close its connections. */
  onLeave?(step: TourStep): void;
}

type DemoStatus = { step: number; phase: 'running' | 'done' } | { step: number; phase: 'failed'; error: string };

export function TourPanel({
  step: rawStep,
  mode,
  runDemo,
  onStepChange,
  onExit,
  onSwitchToLive,
  autorun = false,
  focusOnMount = false,
  onLeave,
}: TourPanelProps) {
  const { t } = useI18n();
  const ids = useId();
  const count = tourSteps.length;
  const step = clampTourStep(rawStep, count);
  const current = tourSteps[step - 1];
  const needsLive = current.liveOnly && mode !== 'live';

  const panelRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  /**
   * The step whose demo should run (and whose heading should get the focus) once it has rendered, so
   * it runs with that render's runDemo. A step number, not a flag: an effect of an older render that
   * React flushes before the new one must not take it for its own step.
   */
  const pendingRun = useRef<number | null>(autorun ? step : null);
  const pendingFocus = useRef<number | null>(focusOnMount ? step : null);
  const [status, setStatus] = useState<DemoStatus | null>(null);

  const run = useCallback(
    async (s: TourStep, n: number) => {
      if (!s.demo) return;
      setStatus({ step: n, phase: 'running' });
      try {
        await runDemo(s.demo);
        setStatus((now) => (now?.step === n ? { step: n, phase: 'done' } : now));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        setStatus((now) => (now?.step === n ? { step: n, phase: 'failed', error: message } : now));
      }
    },
    [runDemo],
  );

  useEffect(() => {
    if (pendingFocus.current === step) {
      pendingFocus.current = null;
      headingRef.current?.focus();
    }
    if (pendingRun.current !== step) return;
    pendingRun.current = null;
    // Running the new step's demo after it rendered is the point: runDemo of this render sees the new
    // step in the lab's state (called from the click, it would write the old step back). Once per step.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (!(current.liveOnly && mode !== 'live')) void run(current, step);
  }, [step, mode, current, run]);

  // The step being left gets a chance to clean up first (the connection-limit step closes its streams).
  const exit = useCallback(() => {
    onLeave?.(current);
    onExit();
  }, [current, onLeave, onExit]);

  const go = useCallback(
    (n: number) => {
      if (n < 1 || n === step) return;
      if (n > count) {
        exit();
        return;
      }
      onLeave?.(current);
      pendingRun.current = n;
      pendingFocus.current = n;
      onStepChange(n);
    },
    [step, count, current, exit, onLeave, onStepChange],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = tourKeyAction(e);
      if (!action) return;
      const active = document.activeElement;
      const onBody = active === null || active === document.body || active === document.documentElement;
      const inPanel = active !== null && (panelRef.current?.contains(active) ?? false);
      if (!onBody && !inPanel) return;
      if (active instanceof HTMLElement && isTypingElement(active)) return;
      e.preventDefault();
      if (action === 'exit') exit();
      else if (action === 'next' && step < count) go(step + 1);
      else if (action === 'back') go(step - 1);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [step, count, go, exit]);

  // The sections a demo scrolls to keep clear of the panel while it is sticky (styles.css, /* tour */).
  // Measured before the step's demo scrolls (a layout effect runs before the effect above), and again
  // whenever the panel changes size (window width, status line).
  const measure = useCallback(() => {
    const panel = panelRef.current;
    if (panel) document.documentElement.style.setProperty('--tour-height', `${Math.ceil(panel.offsetHeight)}px`);
  }, []);
  useLayoutEffect(measure, [measure, step, t, needsLive]);
  useEffect(() => {
    const panel = panelRef.current;
    const observer = panel && typeof ResizeObserver !== 'undefined' ? new ResizeObserver(measure) : null;
    if (panel) observer?.observe(panel);
    return () => {
      observer?.disconnect();
      document.documentElement.style.removeProperty('--tour-height');
    };
  }, [measure]);

  const shown = status?.step === step ? status : null;
  const last = step === count;

  return (
    <section ref={panelRef} className="tour" aria-labelledby={`${ids}-title`} data-testid="tour">
      <div className="tour-progress" aria-hidden="true">
        <div className="tour-progress-bar" style={{ width: `${(step / count) * 100}%` }} />
      </div>
      <div className="tour-top">
        <h2 id={`${ids}-title`}>{t('tour.title')}</h2>
        <button type="button" className="tour-exit" onClick={exit}>
          {t('tour.exit')}
        </button>
      </div>
      <h3 ref={headingRef} tabIndex={-1} className="tour-step-title" data-testid="tour-step-title">
        <span className="tour-count" data-testid="tour-count">
          {t('tour.stepOf', { n: step, count })}
        </span>{' '}
        <span>{t(current.title)}</span>
      </h3>
      {current.body.map((key) => (
        <p key={key} className="tour-body">
          {t(key)}
        </p>
      ))}
      <p className="tour-look">
        <strong>{t('tour.lookAt')}</strong> {t(current.look)}
      </p>
      {needsLive ? (
        <div className="banner warn tour-needs-live" data-testid="tour-needs-live">
          <p>{t('tour.needsLive')}</p>
          <button
            type="button"
            onClick={() => {
              pendingRun.current = step;
              onSwitchToLive();
            }}
          >
            {t('tour.switchLive')}
          </button>
        </div>
      ) : null}
      <div className="tour-actions">
        {current.demo ? (
          <button type="button" className="primary" disabled={needsLive || shown?.phase === 'running'} onClick={() => void run(current, step)}>
            {t('tour.run')}
          </button>
        ) : null}
        <p className="tour-status" role="status" data-testid="tour-status">
          {shown?.phase === 'running' ? t('tour.status.running') : null}
          {shown?.phase === 'done' ? t('tour.status.done') : null}
          {shown?.phase === 'failed' ? t('tour.status.failed', { error: shown.error }) : null}
        </p>
        <div className="tour-nav">
          <button type="button" onClick={() => go(step - 1)} disabled={step === 1}>
            {t('tour.back')}
          </button>
          <button type="button" className={last ? 'primary' : undefined} onClick={() => go(step + 1)}>
            {t(last ? 'tour.finish' : 'tour.next')}
          </button>
        </div>
      </div>
      <p className="tour-keys">{t('tour.keys')}</p>
    </section>
  );
}
