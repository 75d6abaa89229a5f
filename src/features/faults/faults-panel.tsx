/**
 * Faults and reconnect settings. Settings travel with the run (URL, stream query); the actions hit
 * the running streams through POST /api/faults (and set the token through POST /api/auth), answered
 * by the live server in Live mode and by the mock in Mock mode, as react-query mutations.
 */
import { memo, useEffect, useId, useState } from 'react';
import { HTTP_ERRORS, OUTAGE_MS, type Fault, type FaultTarget, type HttpErrorKind, type OutageMode } from '../../protocol/faults.ts';
import type { ParamSpec } from '../../protocol/scenarios.ts';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { showText, type LocalText } from '../../i18n/local-text.ts';
import { richText } from '../../i18n/rich-text.tsx';
import { ParamField } from '../controls/param-field.tsx';
import type { Mode } from '../run/use-run.ts';
import { faultErrorText, useFaultMutation, useTokenMutation } from './fault-client.ts';

export interface FaultsPanelProps {
  mode: Mode;
  runId: string | null;
  running: boolean;
  settingSpecs: readonly ParamSpec[];
  settings: Record<string, string>;
  errors: Record<string, string>;
  onSettingChange(name: string, value: string): void;
  /** The fetch + SSE lane: the bearer token it sends (never in the URL), and whether it resumes by itself. */
  fetchLane: {
    token: string;
    onTokenChange(token: string): void;
    resume: boolean;
    onResumeChange(on: boolean): void;
    /** The lane is not picked, or a run is on: the inputs are disabled. */
    disabled: boolean;
  };
}

const httpErrorLabels = {
  '204': 'faults.http.204',
  '404': 'faults.http.404',
  '429': 'faults.http.429',
  '500': 'faults.http.500',
  '503': 'faults.http.503',
  'content-type': 'faults.http.content-type',
} as const satisfies Record<`${HttpErrorKind}`, MessageKey>;

const httpErrorLabel = (kind: HttpErrorKind): MessageKey => httpErrorLabels[`${kind}`];

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Memoised: the App renders at every snapshot, this panel only when its own props change. */
export const FaultsPanel = memo(function FaultsPanel(props: FaultsPanelProps) {
  const ids = useId();
  const { t } = useI18n();
  const online = useOnline();
  const [outageMs, setOutageMs] = useState(String(OUTAGE_MS.default));
  const [outageMode, setOutageMode] = useState<OutageMode>('reset');
  const [httpError, setHttpError] = useState<HttpErrorKind>(404);
  const [httpTarget, setHttpTarget] = useState<'sse' | 'fetch'>('sse');
  const [serverToken, setServerTokenInput] = useState('');
  // Kept as keys (or a server's own words) so a language switch also changes the last status.
  const [status, setStatus] = useState<{ text: LocalText | string; error: boolean } | null>(null);
  const canAct = props.running && props.runId !== null;
  const outageValue = Number(outageMs);
  const outageValid = Number.isInteger(outageValue) && outageValue >= OUTAGE_MS.min && outageValue <= OUTAGE_MS.max;

  const faultMutation = useFaultMutation(props.mode);
  const tokenMutation = useTokenMutation(props.mode);
  // The status line follows the latest action (a mutation's per-call callbacks fire for the latest call).
  const act = (fault: Fault, describe: (dropped: number | undefined) => LocalText) =>
    faultMutation.mutate(fault, {
      onSuccess: (answer) => setStatus({ text: describe(answer.dropped), error: false }),
      onError: (error) => setStatus({ text: faultErrorText(error, '/api/faults'), error: true }),
    });
  const setToken = (token: string | null, current: string | undefined, done: LocalText) =>
    tokenMutation.mutate(
      { token, current },
      {
        onSuccess: () => setStatus({ text: done, error: false }),
        onError: (error) => setStatus({ text: faultErrorText(error, '/api/auth'), error: true }),
      },
    );
  const run = props.runId ?? undefined;
  const drop = (target: FaultTarget) =>
    act({ action: 'drop', target, run }, (n) => ({
      key: n === 1 ? 'faults.dropped.one' : 'faults.dropped.other',
      vars: { n: n ?? 0 },
    }));

  return (
    <section className="faults" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('faults.title')}</h2>
      <p className="note">
        {richText(t(props.mode === 'mock' ? 'faults.note.mock' : 'faults.note.live'), {
          online: <strong data-testid="online">{t(online ? 'faults.online' : 'faults.offline')}</strong>,
        })}
      </p>

      <div className="fault-settings">
        {props.settingSpecs.map((spec) => (
          <ParamField
            key={spec.name}
            id={`${ids}-${spec.name}`}
            scope="setting"
            spec={spec}
            value={props.settings[spec.name] ?? ''}
            error={props.errors[spec.name]}
            disabled={props.running}
            onChange={(value) => props.onSettingChange(spec.name, value)}
          />
        ))}
      </div>

      <div className="fault-actions">
        <fieldset>
          <legend>{t('faults.drop')}</legend>
          <button type="button" disabled={!canAct} onClick={() => drop('sse')}>
            {t('faults.drop.sse')}
          </button>
          <button type="button" disabled={!canAct} onClick={() => drop('fetch')}>
            {t('faults.drop.fetch')}
          </button>
          <button type="button" disabled={!canAct} onClick={() => drop('ws')}>
            {t('faults.drop.ws')}
          </button>
          <button type="button" disabled={!canAct} onClick={() => drop('all')}>
            {t('faults.drop.all')}
          </button>
        </fieldset>

        <fieldset>
          <legend>{t('faults.outage')}</legend>
          <div className="field">
            <label htmlFor={`${ids}-outage-ms`}>{t('faults.outage.length')}</label>
            <input
              id={`${ids}-outage-ms`}
              type="number"
              min={OUTAGE_MS.min}
              max={OUTAGE_MS.max}
              value={outageMs}
              aria-invalid={outageValid ? undefined : true}
              onChange={(event) => setOutageMs(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-outage-mode`}>{t('faults.outage.flavour')}</label>
            <select
              id={`${ids}-outage-mode`}
              value={outageMode}
              onChange={(event) => setOutageMode(event.target.value === '503' ? '503' : 'reset')}
            >
              <option value="reset">{t('faults.outage.reset')}</option>
              <option value="503">{t('faults.outage.503')}</option>
            </select>
          </div>
          <button
            type="button"
            disabled={!canAct || !outageValid}
            onClick={() =>
              act(
                { action: 'outage', mode: outageMode, ms: outageValue, target: 'all', run },
                (n) => ({ key: 'faults.outage.started', vars: { mode: outageMode, ms: outageValue, n: n ?? 0 } }),
              )
            }
          >
            {t('faults.outage.start')}
          </button>
        </fieldset>

        <fieldset>
          <legend>{t('faults.http')}</legend>
          <div className="field">
            <label htmlFor={`${ids}-http-target`}>{t('faults.http.lane')}</label>
            <select
              id={`${ids}-http-target`}
              value={httpTarget}
              onChange={(event) => setHttpTarget(event.target.value === 'fetch' ? 'fetch' : 'sse')}
            >
              <option value="sse">{t('lanes.title.eventsource')}</option>
              <option value="fetch">{t('lanes.title.fetch-sse')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-http-error`}>{t('faults.http.answer')}</label>
            <select
              id={`${ids}-http-error`}
              value={String(httpError)}
              onChange={(event) => {
                const v = event.target.value;
                setHttpError(v === 'content-type' ? 'content-type' : (Number(v) as HttpErrorKind));
              }}
            >
              {HTTP_ERRORS.map((e) => (
                <option key={String(e)} value={String(e)}>
                  {t(httpErrorLabel(e))}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            disabled={!canAct}
            onClick={() =>
              act(
                { action: 'http-error', status: httpError, run, ...(httpTarget === 'fetch' ? { target: 'fetch' as const } : {}) },
                () => ({
                  key: 'faults.http.armed',
                  vars: {
                    lane: t(httpTarget === 'fetch' ? 'lanes.title.fetch-sse' : 'lanes.title.eventsource'),
                    answer: t(httpErrorLabel(httpError)),
                  },
                }),
              )
            }
          >
            {t('faults.http.arm')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('faults.auth')}</legend>
          <div className="field">
            <label htmlFor={`${ids}-server-token`}>{t('faults.auth.token')}</label>
            <input
              id={`${ids}-server-token`}
              type="text"
              autoComplete="off"
              value={serverToken}
              onChange={(event) => setServerTokenInput(event.target.value)}
            />
          </div>
          <button
            type="button"
            disabled={serverToken.trim() === ''}
            onClick={() => setToken(serverToken.trim(), serverToken.trim(), { key: 'faults.auth.required' })}
          >
            {t('faults.auth.require')}
          </button>
          <button
            type="button"
            onClick={() => setToken(null, serverToken.trim() || undefined, { key: 'faults.auth.notRequired' })}
          >
            {t('faults.auth.none')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('lanes.title.fetch-sse')}</legend>
          <div className="field">
            <label htmlFor={`${ids}-token`}>{t('controls.token')}</label>
            <input
              id={`${ids}-token`}
              type="password"
              autoComplete="off"
              value={props.fetchLane.token}
              disabled={props.fetchLane.disabled}
              onChange={(event) => props.fetchLane.onTokenChange(event.target.value)}
            />
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={props.fetchLane.resume}
              disabled={props.fetchLane.disabled}
              onChange={(event) => props.fetchLane.onResumeChange(event.target.checked)}
            />
            {t('controls.fetchResume')}
          </label>
        </fieldset>
      </div>
      <p className={status?.error ? 'banner error' : 'fault-status'} role="status" data-testid="fault-status">
        {status ? showText(t, status.text) : t(canAct ? 'faults.ready' : 'faults.idle')}
      </p>
    </section>
  );
});
