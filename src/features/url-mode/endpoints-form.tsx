/**
 * URL mode's part of the controls: the two URLs and the field mapping on the controls' first row (in
 * place of the scenario and its parameters), everything else folded under "Request options" so the
 * page still fits 1280×800 with the lanes and both charts on screen.
 */
import { useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { showText } from '../../i18n/local-text.ts';
import { endpointProblemText } from '../lanes/lane-words.ts';
import { fetchMethods, secretHeaderNames, type EndpointField, type EndpointProblem, type FetchMethod, type UrlEndpoints } from './endpoints.ts';

export interface EndpointsFormProps {
  endpoints: UrlEndpoints;
  problems: Partial<Record<EndpointField | 'urls', EndpointProblem>>;
  disabled: boolean;
  onChange(endpoints: UrlEndpoints): void;
  fetchResume: boolean;
  onFetchResumeChange(resume: boolean): void;
}

/** The URL and mapping fields, for the controls' first row. */
export function EndpointFields({ endpoints: e, problems, disabled, onChange }: EndpointsFormProps) {
  const { t } = useI18n();
  const ids = useId();
  const problem = (field: EndpointField | 'urls') => {
    const p = problems[field];
    return p ? showText(t, endpointProblemText(p)) : null;
  };
  const urlField = (field: 'sse' | 'ws') => {
    const id = `${ids}-${field}`;
    const error = problem(field) ?? (field === 'sse' ? problem('urls') : null);
    return (
      <div className="field url-field">
        <label htmlFor={id}>{t(field === 'sse' ? 'url.sse' : 'url.ws')}</label>
        <input
          id={id}
          name={field}
          type="url"
          inputMode="url"
          spellCheck={false}
          autoComplete="url"
          placeholder={t(field === 'sse' ? 'url.sse.placeholder' : 'url.ws.placeholder')}
          value={e[field]}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-hint` : undefined}
          onChange={(event) => onChange({ ...e, [field]: event.target.value })}
        />
        {error ? (
          <span id={`${id}-hint`} className="hint error" data-testid={`url-problem-${field}`}>
            {error}
          </span>
        ) : null}
      </div>
    );
  };
  const pathField = (field: 'seq' | 't') => {
    const id = `${ids}-${field}`;
    const error = problem(field);
    return (
      <div className="field path-field">
        <label htmlFor={id}>{t(field === 'seq' ? 'url.seq' : 'url.t')}</label>
        <input
          id={id}
          name={`${field}Path`}
          spellCheck={false}
          value={e.mapping[field]}
          disabled={disabled}
          title={t('url.mapping.title')}
          aria-invalid={error ? true : undefined}
          onChange={(event) => onChange({ ...e, mapping: { ...e.mapping, [field]: event.target.value } })}
        />
        {error ? <span className="hint error">{error}</span> : null}
      </div>
    );
  };
  return (
    <>
      {urlField('sse')}
      {urlField('ws')}
      {pathField('seq')}
      {pathField('t')}
    </>
  );
}

/** "Request options": the fetch lane's request, the WebSocket's messages on open, EventSource's events. */
export function RequestOptions({ endpoints: e, problems, disabled, onChange, fetchResume, onFetchResumeChange }: EndpointsFormProps) {
  const { t } = useI18n();
  const ids = useId();
  const [opened, setOpened] = useState(false);
  const secrets = secretHeaderNames(e.headers);
  const problem = (field: EndpointField) => {
    const p = problems[field];
    return p ? showText(t, endpointProblemText(p)) : null;
  };
  const headersError = problem('headers');
  const bodyError = problem('body');
  const changed = e.method !== 'GET' || e.headers !== '' || e.body !== '' || e.wsSend !== '' || e.events !== '' || fetchResume;
  return (
    // Opens by itself when it holds a problem, so a refused Start always shows why; stays as the user left it otherwise.
    <details
      className="request-options"
      open={opened || headersError !== null || bodyError !== null}
      onToggle={(event) => setOpened(event.currentTarget.open)}
    >
      <summary>
        {t('url.more')}
        {changed ? <span aria-hidden="true"> •</span> : null}
      </summary>
      <div className="request-options-body">
        <div className="field">
          <label htmlFor={`${ids}-method`}>{t('url.method')}</label>
          <select
            id={`${ids}-method`}
            value={e.method}
            disabled={disabled}
            onChange={(event) => onChange({ ...e, method: event.target.value as FetchMethod })}
          >
            {fetchMethods.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <label className="check">
            <input type="checkbox" checked={fetchResume} disabled={disabled} onChange={(event) => onFetchResumeChange(event.target.checked)} />
            {t('url.resume')}
          </label>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-headers`}>{t('url.headers')}</label>
          <textarea
            id={`${ids}-headers`}
            rows={3}
            spellCheck={false}
            placeholder={t('url.headers.placeholder')}
            value={e.headers}
            disabled={disabled}
            aria-invalid={headersError ? true : undefined}
            onChange={(event) => onChange({ ...e, headers: event.target.value })}
          />
          {headersError ? <span className="hint error">{headersError}</span> : null}
          {secrets.length > 0 ? <span className="hint">{t('url.secretHeaders', { names: secrets.join(', ') })}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-body`}>{t('url.body')}</label>
          <textarea
            id={`${ids}-body`}
            rows={3}
            spellCheck={false}
            value={e.body}
            disabled={disabled}
            aria-invalid={bodyError ? true : undefined}
            onChange={(event) => onChange({ ...e, body: event.target.value })}
          />
          {bodyError ? <span className="hint error">{bodyError}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-ws-send`}>{t('url.wsSend')}</label>
          <textarea
            id={`${ids}-ws-send`}
            rows={3}
            spellCheck={false}
            placeholder={t('url.wsSend.placeholder')}
            value={e.wsSend}
            disabled={disabled}
            onChange={(event) => onChange({ ...e, wsSend: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-events`}>{t('url.events')}</label>
          <input
            id={`${ids}-events`}
            spellCheck={false}
            placeholder={t('url.events.placeholder')}
            value={e.events}
            disabled={disabled}
            onChange={(event) => onChange({ ...e, events: event.target.value })}
          />
          <span className="hint">{t('url.linkNote')}</span>
        </div>
      </div>
    </details>
  );
}
