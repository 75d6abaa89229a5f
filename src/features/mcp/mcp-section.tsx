/**
 * MCP's two HTTP transports, live (in the LLM APIs tab): the same slow tool call over Streamable HTTP
 * and over the deprecated HTTP+SSE, optionally cut mid-stream, every request and answer listed, and
 * what each revision of the spec changed, dated.
 */
import { useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { McpDemoReport } from './mcp-demo.ts';
import type { McpDemo } from './use-mcp-demo.ts';

const revisions = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;
const DROP = 2;

function ReportTable({ report }: { report: McpDemoReport }) {
  const { t } = useI18n();
  const ended = (e: McpDemoReport['exchanges'][number]) => (e.ended === null ? '' : t(`mcp.ended.${e.ended}`));
  return (
    <div className="mcp-report" data-testid={`mcp-${report.transport}`}>
      <h4>{t(`mcp.transport.${report.transport}`)}</h4>
      <p className="note">
        {t('mcp.session', { id: report.sessionId ?? '—', revision: report.revision ?? '—' })}
      </p>
      <div className="wire-table-wrap" role="region" aria-label={t(`mcp.transport.${report.transport}`)} tabIndex={0}>
        <table className="wire-table">
          <thead>
            <tr>
              <th scope="col">{t('mcp.col.request')}</th>
              <th scope="col">{t('mcp.col.answer')}</th>
              <th scope="col">{t('mcp.col.events')}</th>
            </tr>
          </thead>
          <tbody>
            {report.exchanges.map((e, i) => (
              <tr key={i}>
                <td>
                  <code>
                    {e.method} {e.what}
                    {e.lastEventId ? ` (Last-Event-ID: ${e.lastEventId})` : ''}
                  </code>
                </td>
                <td>
                  {e.status} {e.answer === 'none' ? '' : e.answer === 'sse' ? 'text/event-stream' : 'application/json'}
                </td>
                <td>{e.answer === 'sse' ? `${e.events} · ${ended(e)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p data-testid={`mcp-${report.transport}-outcome`} className={report.result === 'received' ? 'ok' : 'error'}>
        {t(report.result === 'received' ? 'mcp.outcome.received' : 'mcp.outcome.lost', {
          received: report.progress.received,
          expected: report.progress.expected,
          repeated: report.progress.repeated,
          resumes: report.resumes,
          ms: Math.round(report.elapsedMs),
        })}
      </p>
    </div>
  );
}

export function McpSection({ demo }: { demo: McpDemo }) {
  const { t } = useI18n();
  const ids = useId();
  const [cut, setCut] = useState(true);
  const { state } = demo;
  return (
    <div className="mcp-demo" data-testid="mcp-demo">
      <h3>{t('mcp.title')}</h3>
      <p className="note">{t('mcp.explain')}</p>
      <div className="mcp-controls">
        <input id={`${ids}-cut`} type="checkbox" checked={cut} onChange={(e) => setCut(e.target.checked)} />
        <label htmlFor={`${ids}-cut`}>{t('mcp.cut', { n: DROP })}</label>
        <button type="button" onClick={() => void demo.run(cut ? DROP : 0)} disabled={state.phase === 'running'}>
          {t('mcp.run')}
        </button>
      </div>
      {state.phase === 'running' ? (
        <p className="hint" role="status">
          {t('mcp.running')}
        </p>
      ) : null}
      {state.phase === 'error' ? (
        <p className="hint error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.phase === 'done' ? (
        <div className="mcp-reports" role="status">
          <ReportTable report={state.streamable} />
          <ReportTable report={state.legacy} />
        </div>
      ) : null}
      <h4>{t('mcp.revisions')}</h4>
      <ul className="note mcp-revisions">
        {revisions.map((r) => (
          <li key={r}>
            <strong>{r}</strong> — {t(`mcp.revision.${r}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}
