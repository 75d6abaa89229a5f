/**
 * Handshake and wire inspector: the opening exchange of each stream of the current run as the server
 * recorded it (simulated in Mock mode), the bytes each protocol put around the frames, and the Origin
 * lesson.
 */
import { memo, useEffect, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { StreamTransport } from '../../protocol/faults.ts';
import type { Handshake, HttpHead, StreamRecord } from '../../protocol/stream-log.ts';
import { websocketAccept } from '../../protocol/websocket-wire.ts';
import type { Mode } from '../run/use-run.ts';
import type { OriginDemo } from './use-origin-demo.ts';
import { firstHandshake, headerValue, inspectedTransports, wireTotals, type WireTotals } from './wire-summary.ts';

export const transportNameKeys: Record<StreamTransport, MessageKey> = {
  sse: 'inspector.transport.sse',
  fetch: 'inspector.transport.fetch',
  ws: 'inspector.transport.ws',
};

function HeadBlock({ head, label }: { head: HttpHead; label: string }) {
  return (
    <pre className="http-head" aria-label={label}>
      <span className="http-line">{head.line}</span>
      {head.headers.map(([name, value], i) => (
        <span key={i} className="http-header">
          {'\n'}
          <span className="http-name">{name}</span>: {value}
        </span>
      ))}
    </pre>
  );
}

/** Recomputes Sec-WebSocket-Accept from the key shown, in this page, with Web Crypto. */
function AcceptCheck({ handshake }: { handshake: Handshake }) {
  const { t } = useI18n();
  const key = headerValue(handshake.request, 'sec-websocket-key');
  const accept = headerValue(handshake.response, 'sec-websocket-accept');
  const [expected, setExpected] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    if (key) void websocketAccept(key).then((value) => current && setExpected(value));
    return () => {
      current = false;
    };
  }, [key]);
  if (!key || !accept || expected === null) return null;
  const ok = expected === accept;
  return (
    <p className={`accept-check ${ok ? 'ok' : 'bad'}`} data-testid="accept-check">
      {ok ? '✓ ' : '✗ '}
      {t(ok ? 'inspector.accept.ok' : 'inspector.accept.bad', { expected })}
    </p>
  );
}

function HandshakeCard({ transport, handshake }: { transport: StreamTransport; handshake: Handshake }) {
  const { t } = useI18n();
  const name = t(transportNameKeys[transport]);
  return (
    <article className={`handshake handshake-${transport}`} aria-label={t('inspector.handshakeOf', { name })}>
      <h3>
        {name}
        {handshake.simulated ? <span className="tag">{t('inspector.simulated')}</span> : null}
      </h3>
      <h4>{t('inspector.request')}</h4>
      <HeadBlock head={handshake.request} label={t('inspector.requestOf', { name })} />
      {handshake.requestBody ? (
        <>
          <h4>{t('inspector.requestBody')}</h4>
          <pre className="http-head http-body">{handshake.requestBody}</pre>
        </>
      ) : null}
      <h4>{t('inspector.response')}</h4>
      <HeadBlock head={handshake.response} label={t('inspector.responseOf', { name })} />
      {transport === 'ws' ? <AcceptCheck handshake={handshake} /> : null}
      <p className="handshake-bytes">
        {t('inspector.headBytes', { request: handshake.request.bytes, response: handshake.response.bytes })}
      </p>
    </article>
  );
}

const fmtBytes = (n: number | null) => (n === null ? '—' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const fmtPct = (n: number | null) => (n === null ? '—' : `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`);

function WireTable({ totals }: { totals: WireTotals[] }) {
  const { t } = useI18n();
  const rows: [MessageKey, (w: WireTotals) => string][] = [
    ['inspector.wire.streams', (w) => String(w.streams)],
    ['inspector.wire.frames', (w) => String(w.frames)],
    ['inspector.wire.payload', (w) => fmtBytes(w.payloadPerFrame)],
    ['inspector.wire.message', (w) => fmtBytes(w.messagePerFrame)],
    ['inspector.wire.socket', (w) => fmtBytes(w.socketPerFrame)],
    ['inspector.wire.framingOverhead', (w) => fmtPct(w.framingOverheadPct)],
    ['inspector.wire.socketOverhead', (w) => fmtPct(w.socketOverheadPct)],
    ['inspector.wire.totalPayload', (w) => String(w.payloadBytes)],
    ['inspector.wire.totalSocket', (w) => (w.socketBytes === null ? '—' : String(w.socketBytes))],
    ['inspector.wire.handshake', (w) => String(w.handshakeBytes)],
  ];
  return (
    // A region that scrolls sideways on a narrow screen; focusable, so the keyboard can scroll it too.
    <div className="wire-table-wrap" role="region" aria-label={t('inspector.wire.caption')} tabIndex={0}>
      <table className="wire-table">
        <caption>{t('inspector.wire.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('inspector.wire.measure')}</th>
            {totals.map((w) => (
              <th key={w.transport} scope="col">
                {t(transportNameKeys[w.transport])}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{t(key)}</th>
              {totals.map((w) => (
                <td key={w.transport} className="live-number" data-testid={`wire-${key.split('.').at(-1)}-${w.transport}`}>
                  {value(w)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OriginSection({ mode, demo }: { mode: Mode; demo: OriginDemo }) {
  const { t } = useI18n();
  const { state } = demo;
  return (
    <div className="origin-demo" data-testid="origin-demo">
      <h3>{t('inspector.origin.title')}</h3>
      <p className="note">{t('inspector.origin.explain')}</p>
      <button type="button" onClick={() => void demo.run()} disabled={mode !== 'live' || state.phase === 'running'}>
        {t('inspector.origin.run')}
      </button>
      {mode !== 'live' ? <p className="hint">{t('inspector.origin.needsLive')}</p> : null}
      {state.phase === 'running' ? (
        <p className="hint" role="status">
          {t('inspector.origin.running', { page: state.pageOrigin, target: state.target })}
        </p>
      ) : null}
      {state.phase === 'unavailable' ? <p className="hint">{t('inspector.origin.unavailable', { host: state.pageHost })}</p> : null}
      {state.phase === 'error' ? (
        <p className="hint error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.phase === 'done' ? (
        <dl className="origin-result" role="status">
          <dt data-testid="origin-pair">{t('inspector.origin.pair', { page: state.pageOrigin, target: state.target })}</dt>
          <dd data-testid="origin-ws">
            {t('inspector.origin.ws', {
              browser: state.ws.browser === 'opened' ? t('inspector.origin.opened') : t('inspector.origin.closedCode', { code: state.ws.closeCode ?? '—' }),
              server: state.ws.serverStatus ?? t('inspector.origin.noRecord'),
            })}
            {state.ws.serverDetail ? <q>{state.ws.serverDetail}</q> : null}
          </dd>
          <dd data-testid="origin-sse">
            {t('inspector.origin.sse', {
              browser:
                state.sse.browser === 'opened'
                  ? t('inspector.origin.opened')
                  : // CORS can only have blocked an answer the server gave.
                    t(state.sse.serverStatus ? 'inspector.origin.blocked' : 'inspector.origin.failed'),
              server: state.sse.serverStatus ?? t('inspector.origin.noRecord'),
              acao: state.sse.serverDetail ?? t('inspector.origin.noAcao'),
            })}
          </dd>
          {state.secure && (state.ws.serverStatus === null || state.sse.serverStatus === null) ? (
            <dd className="hint">{t('inspector.origin.certHint', { target: state.target })}</dd>
          ) : null}
        </dl>
      ) : null}
      <p className="note">{t('inspector.origin.curl')}</p>
      <pre className="http-head">{`curl -i -H 'Origin: https://evil.example' -H 'Connection: Upgrade' -H 'Upgrade: websocket' \\
  -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \\
  '${location.origin}/api/ws?scenario=ticker'`}</pre>
    </div>
  );
}

export interface InspectorPanelProps {
  mode: Mode;
  runId: string | null;
  records: readonly StreamRecord[];
  loadError: string | null;
  origin: OriginDemo;
}

/** Memoised: the App re-renders at the snapshot rate, and this panel only changes with the run log. */
export const InspectorPanel = memo(function InspectorPanel({ mode, runId, records, loadError, origin }: InspectorPanelProps) {
  const { t } = useI18n();
  const ids = useId();
  const handshakes = inspectedTransports
    .map((transport) => ({ transport, handshake: firstHandshake(records, transport) }))
    .filter((h): h is { transport: StreamTransport; handshake: Handshake } => h.handshake !== null);
  const totals = inspectedTransports.map((transport) => wireTotals(records, transport)).filter((w): w is WireTotals => w !== null);
  return (
    <section className="inspector" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('inspector.title')}</h2>
      <p className="note">{t(mode === 'mock' ? 'inspector.note.mock' : 'inspector.note.live')}</p>
      {loadError ? (
        <p className="hint error" role="alert">
          {t('inspector.loadError', { error: loadError })}
        </p>
      ) : null}
      {runId === null || handshakes.length === 0 ? (
        <p className="hint">{t('inspector.empty')}</p>
      ) : (
        <div className={`handshakes handshakes-${handshakes.length}`}>
          {handshakes.map((h) => (
            <HandshakeCard key={h.transport} transport={h.transport} handshake={h.handshake} />
          ))}
        </div>
      )}
      {totals.length > 0 ? (
        <>
          <WireTable totals={totals} />
          <ul className="note wire-how">
            <li>{t('inspector.how.payload')}</li>
            <li>{t('inspector.how.message')}</li>
            <li>{t(mode === 'mock' ? 'inspector.how.socketMock' : 'inspector.how.socket')}</li>
          </ul>
        </>
      ) : null}
      <OriginSection mode={mode} demo={origin} />
    </section>
  );
});
