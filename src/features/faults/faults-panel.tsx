/**
 * Faults and reconnect settings. Settings travel with the run (URL, stream query); the actions hit
 * the running streams through POST /api/faults in Live mode or the mocks in Mock mode.
 */
import { useEffect, useId, useState } from 'react';
import { HTTP_ERRORS, OUTAGE_MS, type Fault, type FaultTarget, type HttpErrorKind, type OutageMode } from '../../protocol/faults.ts';
import type { ParamSpec } from '../../protocol/scenarios.ts';
import { ParamField } from '../controls/param-field.tsx';
import type { Mode } from '../run/use-run.ts';
import { sendFault, setServerToken } from './fault-client.ts';

export interface FaultsPanelProps {
  mode: Mode;
  runId: string | null;
  running: boolean;
  settingSpecs: readonly ParamSpec[];
  settings: Record<string, string>;
  errors: Record<string, string>;
  onSettingChange(name: string, value: string): void;
}

const httpErrorLabels: Record<string, string> = {
  '204': '204 No Content',
  '404': '404 Not Found',
  '500': '500 Internal Server Error',
  '503': '503 Service Unavailable',
  'content-type': '200 with text/plain',
};

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

export function FaultsPanel(props: FaultsPanelProps) {
  const ids = useId();
  const online = useOnline();
  const [outageMs, setOutageMs] = useState(String(OUTAGE_MS.default));
  const [outageMode, setOutageMode] = useState<OutageMode>('reset');
  const [httpError, setHttpError] = useState<HttpErrorKind>(404);
  const [httpTarget, setHttpTarget] = useState<'sse' | 'fetch'>('sse');
  const [serverToken, setServerTokenInput] = useState('');
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const canAct = props.running && props.runId !== null;
  const outageValue = Number(outageMs);
  const outageValid = Number.isInteger(outageValue) && outageValue >= OUTAGE_MS.min && outageValue <= OUTAGE_MS.max;

  const act = (fault: Fault, describe: (dropped: number | undefined) => string) => {
    void sendFault(props.mode, fault).then((result) =>
      setStatus(result.ok ? { text: describe(result.dropped), error: false } : { text: result.error, error: true }),
    );
  };
  const run = props.runId ?? undefined;
  const drop = (target: FaultTarget) =>
    act({ action: 'drop', target, run }, (n) => `Dropped ${n ?? 0} connection${n === 1 ? '' : 's'}.`);

  return (
    <section className="faults" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Faults &amp; reconnects</h2>
      <p className="note">
        Break the connections on purpose and watch each lane recover — or not. Settings apply to the next
        run; actions hit the running one{props.mode === 'mock' ? ' (simulated by the mock)' : ' (on the live server)'}.
        Browser: <strong data-testid="online">{online ? 'online' : 'offline'}</strong>.
      </p>

      <div className="fault-settings">
        {props.settingSpecs.map((spec) => (
          <ParamField
            key={spec.name}
            id={`${ids}-${spec.name}`}
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
          <legend>Drop now</legend>
          <button type="button" disabled={!canAct} onClick={() => drop('sse')}>
            Drop EventSource
          </button>
          <button type="button" disabled={!canAct} onClick={() => drop('fetch')}>
            Drop fetch + SSE
          </button>
          <button type="button" disabled={!canAct} onClick={() => drop('ws')}>
            Drop WebSocket
          </button>
          <button type="button" disabled={!canAct} onClick={() => drop('all')}>
            Drop all
          </button>
        </fieldset>

        <fieldset>
          <legend>Outage</legend>
          <div className="field">
            <label htmlFor={`${ids}-outage-ms`}>Length (ms)</label>
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
            <label htmlFor={`${ids}-outage-mode`}>Flavour</label>
            <select
              id={`${ids}-outage-mode`}
              value={outageMode}
              onChange={(event) => setOutageMode(event.target.value === '503' ? '503' : 'reset')}
            >
              <option value="reset">reset (connections cut)</option>
              <option value="503">503 (answered 503)</option>
            </select>
          </div>
          <button
            type="button"
            disabled={!canAct || !outageValid}
            onClick={() =>
              act(
                { action: 'outage', mode: outageMode, ms: outageValue, target: 'all', run },
                (n) => `Outage (${outageMode}) for ${outageValue} ms; dropped ${n ?? 0}.`,
              )
            }
          >
            Start outage
          </button>
        </fieldset>

        <fieldset>
          <legend>HTTP error on the next SSE connection</legend>
          <div className="field">
            <label htmlFor={`${ids}-http-target`}>Lane</label>
            <select
              id={`${ids}-http-target`}
              value={httpTarget}
              onChange={(event) => setHttpTarget(event.target.value === 'fetch' ? 'fetch' : 'sse')}
            >
              <option value="sse">EventSource</option>
              <option value="fetch">fetch + SSE</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-http-error`}>Answer</label>
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
                  {httpErrorLabels[String(e)]}
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
                () =>
                  `Armed: the next ${httpTarget === 'fetch' ? 'fetch + SSE' : 'EventSource'} connection gets ${httpErrorLabels[String(httpError)]}. Drop that lane to make it reconnect.`,
              )
            }
          >
            Arm
          </button>
        </fieldset>
        <fieldset>
          <legend>Server auth (POST /api/stream)</legend>
          <div className="field">
            <label htmlFor={`${ids}-server-token`}>Token the server requires</label>
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
            onClick={() =>
              void setServerToken(props.mode, serverToken.trim()).then((r) =>
                setStatus(r.ok ? { text: 'The server now requires that bearer token on POST /api/stream.', error: false } : { text: r.error, error: true }),
              )
            }
          >
            Require token
          </button>
          <button
            type="button"
            onClick={() =>
              void setServerToken(props.mode, null).then((r) =>
                setStatus(r.ok ? { text: 'The server no longer requires a token.', error: false } : { text: r.error, error: true }),
              )
            }
          >
            No token
          </button>
        </fieldset>
      </div>
      <p className={status?.error ? 'banner error' : 'fault-status'} role="status" data-testid="fault-status">
        {status?.text ?? (canAct ? 'Ready.' : 'Start a run to inject faults.')}
      </p>
    </section>
  );
}
