/**
 * The LLM APIs lesson: what the fetch + SSE lane shows when it calls a provider-compatible path, what
 * each official SDK does on each fault, the named-event trap demo, and MCP's two HTTP transports.
 */
import { memo, useId } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { richText } from '../../i18n/rich-text.tsx';
import type { TrapState } from './use-named-event-trap.ts';
import { McpSection } from '../mcp/mcp-section.tsx';
import type { McpDemo } from '../mcp/use-mcp-demo.ts';

export interface LlmApisPanelProps {
  trap: { state: TrapState; run(): Promise<void> };
  mcp: McpDemo;
}

const sdkFaults = ['before', 'errorEvent', 'drop', 'stall'] as const;

export const LlmApisPanel = memo(function LlmApisPanel({ trap, mcp }: LlmApisPanelProps) {
  const { t } = useI18n();
  const ids = useId();
  const { state } = trap;
  return (
    <section className="llm-apis" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('apis.title')}</h2>
      <p className="note">{richText(t('apis.intro'), { select: <strong>{t('controls.api')}</strong> })}</p>
      <h3>{t('apis.sdk.title')}</h3>
      <ul className="note" data-testid="sdk-faults">
        {sdkFaults.map((fault) => (
          <li key={fault}>{t(`apis.sdk.${fault}`)}</li>
        ))}
      </ul>
      <div className="trap-demo" data-testid="named-event-trap">
        <h3>{t('apis.trap.title')}</h3>
        <p className="note">{t('apis.trap.explain')}</p>
        <button type="button" onClick={() => void trap.run()} disabled={state.phase === 'running'}>
          {t('apis.trap.run')}
        </button>
        {state.phase === 'running' ? (
          <p className="hint" role="status">
            {t('apis.trap.running')}
          </p>
        ) : null}
        {state.phase === 'error' ? (
          <p className="hint error" role="alert">
            {state.message}
          </p>
        ) : null}
        {state.phase === 'done' ? (
          <dl className="trap-result" role="status">
            <dt>
              <code>es.onmessage = …</code>
            </dt>
            <dd data-testid="trap-onmessage">{t('apis.trap.received', { count: state.result.onmessage })}</dd>
            <dt>
              <code>es.addEventListener(type, …)</code>
            </dt>
            <dd data-testid="trap-named">
              {t('apis.trap.received', { count: Object.values(state.result.perType).reduce((a, b) => a + b, 0) })}:{' '}
              {Object.entries(state.result.perType)
                .filter(([, count]) => count > 0)
                .map(([type, count]) => `${type} × ${count}`)
                .join(', ')}
            </dd>
          </dl>
        ) : null}
        <pre className="http-head">{`const es = new EventSource('/api/sse?scenario=llm&format=anthropic');
es.onmessage = (e) => show(e.data);            // never called: every event is named
for (const type of ['message_start', 'content_block_delta', 'message_stop'])
  es.addEventListener(type, (e) => show(e.data)); // called`}</pre>
      </div>
      <McpSection demo={mcp} />
    </section>
  );
});
