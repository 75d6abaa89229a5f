import { useLayoutEffect, useRef } from 'react';
import type { LaneView } from '../run/run-session.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { formatBytes, formatCount, formatMs, formatRate, formatRatio } from '../../app/format.ts';
import { describeClose } from '../../transports/websocket-transport.ts';

export const laneTitles: Record<TransportKind, string> = {
  eventsource: 'EventSource',
  'fetch-sse': 'fetch + SSE',
  websocket: 'WebSocket',
  'short-poll': 'Short polling',
  'long-poll': 'Long polling',
};

const laneSubtitles: Record<TransportKind, string> = {
  eventsource: 'SSE · GET /api/sse · browser reconnects by itself',
  'fetch-sse': 'SSE · POST /api/stream with a JSON body · read with fetch(), as LLM SDKs do',
  websocket: 'WS · /api/ws · one JSON text message per frame',
  'short-poll': 'HTTP · GET /api/poll every 250 ms · answers at once, often empty',
  'long-poll': 'HTTP · GET /api/poll?wait=25000 · the server holds each request until there is news',
};

const stateLabels: Record<LaneView['state'], string> = {
  idle: 'idle',
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'reconnecting',
  closed: 'closed',
};

function closeText(lane: LaneView): string | null {
  const reason = lane.closeReason;
  if (!reason) return null;
  if (reason.kind === 'complete') return 'Stream complete.';
  if (reason.kind === 'stopped') return 'Stopped.';
  return null;
}

const chatCostHelp: Record<TransportKind, string> = {
  eventsource:
    'The stream plus the connections the POST /api/chat requests came on (counted by the server); bytes are request line, headers and body as the server received them.',
  'fetch-sse':
    'The stream plus the connections the POST /api/chat requests came on (counted by the server); bytes are request line, headers and body as the server received them.',
  websocket: 'Messages go up the same socket: bytes are the JSON plus a 6-byte client frame header (mask included).',
  'short-poll': 'Polling lanes do not chat.',
  'long-poll': 'Polling lanes do not chat.',
};

const cancelHow: Record<TransportKind, string> = {
  eventsource: 'EventSource closed',
  'fetch-sse': 'request aborted',
  websocket: 'cancel sent on the open socket',
  'short-poll': 'polling stopped',
  'long-poll': 'polling stopped',
};

export interface LanePanelProps {
  kind: TransportKind;
  lane: LaneView | null;
  showText: boolean;
  showChat: boolean;
  onReconnect(): void;
}

/** What the reconnect machinery is doing right now, in one line. */
function reconnectLine(lane: LaneView): string | null {
  if (lane.kind === 'websocket' && lane.reconnect) {
    const r = lane.reconnect;
    // A clean 1000 is the normal end and says nothing worth a warning.
    const close =
      r.lastClose && r.lastClose.code !== 1000 ? `last close ${describeClose(r.lastClose.code, r.lastClose.reason)}` : null;
    if (lane.state === 'reconnecting' && r.nextDelayMs !== null) {
      return `Retry #${r.attempts} in ${formatMs(r.nextDelayMs)} (backoff with full jitter, resumes after #${lane.lastSeq})${close ? `; ${close}` : ''}.`;
    }
    return close ? `${close[0].toUpperCase()}${close.slice(1)}.` : null;
  }
  if (lane.kind === 'fetch-sse' && lane.state === 'reconnecting') {
    return `The lab resumes after ${lane.retryMs ?? '?'} ms with Last-Event-ID: ${lane.lastSeq} (attempt ${lane.attempt}).`;
  }
  if (lane.kind === 'eventsource' && lane.state === 'reconnecting') {
    return `The browser retries by itself${lane.retryMs !== null ? ` after retry: ${lane.retryMs} ms` : ''} (attempt ${lane.attempt}), sending Last-Event-ID: ${lane.lastSeq}.`;
  }
  return null;
}

export function LanePanel({ kind, lane, showText, showChat, onReconnect }: LanePanelProps) {
  const titleId = `lane-${kind}-title`;
  const state = lane?.state ?? 'idle';
  const seq = lane?.sequence;
  const failure = lane?.closeReason?.kind === 'failed' ? lane.closeReason.message : null;
  const answer = useRef<HTMLDivElement>(null);
  const text = lane?.text ?? '';
  useLayoutEffect(() => {
    // Follow the answer as it grows, like a chat window.
    if (answer.current) answer.current.scrollTop = answer.current.scrollHeight;
  }, [text]);
  return (
    <section className={`lane lane-${kind}`} aria-labelledby={titleId}>
      <header>
        <h2 id={titleId}>
          <span className="swatch" aria-hidden="true" />
          {laneTitles[kind]}
        </h2>
        <span className={`state state-${state}`} data-testid="lane-state">
          {stateLabels[state]}
        </span>
      </header>
      <p className="lane-subtitle">{laneSubtitles[kind]}</p>
      {kind === 'fetch-sse' ? (
        <p className="lane-why">
          EventSource cannot make this request: it only sends GET, with no body and no headers of its own
          (no <code>Authorization</code>).
        </p>
      ) : null}

      <dl className="stats">
        <div>
          <dt>Frames</dt>
          <dd data-testid="frames">{formatCount(lane?.frames ?? 0)}</dd>
        </div>
        <div>
          <dt title="JSON text as delivered to the page, without SSE field names or WebSocket frame headers">Message bytes</dt>
          <dd data-testid="bytes" className="live-number">{formatBytes(lane?.bytes ?? 0)}</dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd data-testid="rate" className="live-number">{formatRate(lane?.rate ?? 0)}</dd>
        </div>
        <div className="wide">
          <dt>Latency p50 / p95 / p99</dt>
          <dd data-testid="latency" className="live-number">
            {formatMs(lane?.latency.p50 ?? null)} / {formatMs(lane?.latency.p95 ?? null)} /{' '}
            {formatMs(lane?.latency.p99 ?? null)}
          </dd>
        </div>
        <div>
          <dt>Reconnects</dt>
          <dd data-testid="reconnects">{formatCount(lane?.reconnects ?? 0)}</dd>
        </div>
        <div className="wide">
          <dt title="From the last frame before a connection was lost to the first frame after">
            Downtime median / last / max
          </dt>
          <dd data-testid="downtime" className="live-number">
            {formatMs(lane?.downtime.medianMs ?? null)} / {formatMs(lane?.downtime.lastMs ?? null)} /{' '}
            {formatMs(lane?.downtime.maxMs ?? null)}
          </dd>
        </div>
        <div>
          <dt>Lost / dup / reordered</dt>
          <dd data-testid="sequence">
            {formatCount(seq?.missing ?? 0)} / {formatCount(seq?.duplicates ?? 0)} /{' '}
            {formatCount(seq?.reordered ?? 0)}
          </dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd data-testid="errors">{formatCount(lane?.errors ?? 0)}</dd>
        </div>
        {showText ? (
          <>
            <div>
              <dt title="From pressing Start to the first token on screen: connecting included">TTFT</dt>
              <dd data-testid="ttft" className="live-number">{formatMs(lane?.tokens.ttftMs ?? null)}</dd>
            </div>
            <div>
              <dt>Tokens/s</dt>
              <dd data-testid="tokens-per-second" className="live-number">
                {formatRate(lane?.tokens.perSecond ?? Number.NaN)}
              </dd>
            </div>
            <div className="wide">
              <dt title="Receive-time gaps between consecutive tokens">Token gap p50 / p95 / max</dt>
              <dd data-testid="token-gaps" className="live-number">
                {formatMs(lane?.tokens.gap.p50 ?? null)} / {formatMs(lane?.tokens.gap.p95 ?? null)} /{' '}
                {formatMs(lane?.tokens.gap.max ?? null)}
              </dd>
            </div>
            <div>
              <dt title="From pressing Start to the end marker">Total</dt>
              <dd data-testid="total-time" className="live-number">{formatMs(lane?.tokens.totalMs ?? null)}</dd>
            </div>
          </>
        ) : null}
        {showChat ? (
          <>
            <div>
              <dt>Answered</dt>
              <dd data-testid="chat-answered">
                {formatCount(lane?.chat.answered ?? 0)} / {formatCount(lane?.chat.sent ?? 0)}
              </dd>
            </div>
            <div className="wide">
              <dt title="User message sent → its answer received on this lane">Chat RTT p50 / p95 / max</dt>
              <dd data-testid="chat-rtt" className="live-number">
                {formatMs(lane?.chat.rtt.p50 ?? null)} / {formatMs(lane?.chat.rtt.p95 ?? null)} /{' '}
                {formatMs(lane?.chat.rtt.max ?? null)}
              </dd>
            </div>
            <div className="wide">
              <dt title={chatCostHelp[kind]}>Upstream: connections / requests / bytes</dt>
              <dd data-testid="chat-cost" className="live-number">
                {kind === 'websocket'
                  ? `1 socket / 0 / ${formatBytes(lane?.chat.requestBytes ?? 0)}`
                  : `${1 + (lane?.chat.sideConnections ?? 0)} / ${formatCount(lane?.chat.requests ?? 0)} / ${formatBytes(lane?.chat.requestBytes ?? 0)}`}
              </dd>
            </div>
          </>
        ) : null}
        {lane?.poll ? (
          <>
            <div>
              <dt>Requests</dt>
              <dd data-testid="poll-requests">{formatCount(lane.poll.requests)}</dd>
            </div>
            <div>
              <dt title="Requests made per frame delivered">Requests / frame</dt>
              <dd data-testid="poll-requests-per-frame" className="live-number">
                {formatRatio(lane.poll.requestsPerFrame)}
              </dd>
            </div>
            <div className="wide">
              <dt title="Request heads as the server received them, plus response heads as the page sees them, per frame delivered">
                Header bytes / frame
              </dt>
              <dd data-testid="poll-header-bytes" className="live-number">
                {formatBytes(Math.round(lane.poll.headerBytesPerFrame))}
              </dd>
            </div>
          </>
        ) : null}
        {kind === 'websocket' ? (
          <div>
            <dt>Ping RTT</dt>
            <dd data-testid="rtt" className="live-number">{formatMs(lane?.rttMs ?? null)}</dd>
          </div>
        ) : null}
      </dl>

      {lane && reconnectLine(lane) ? (
        <p className="lane-reconnect" data-testid="reconnect-line">
          {reconnectLine(lane)}
        </p>
      ) : null}
      {failure ? (
        <div className="banner error" role="alert" data-testid="lane-failure">
          <p>{failure}</p>
          <button type="button" onClick={onReconnect}>
            Reconnect {laneTitles[kind]} (resume after #{lane?.lastSeq ?? 0})
          </button>
        </div>
      ) : lane?.lastError ? (
        <p className="banner warn" data-testid="lane-error">
          Last error: {lane.lastError}
        </p>
      ) : null}
      {lane && closeText(lane) ? <p className="lane-closed">{closeText(lane)}</p> : null}
      {lane?.cancel ? (
        <p className="lane-cancel" data-testid="cancel-latency">
          Stop generating ({cancelHow[kind]}): last frame{' '}
          <strong data-testid="cancel-last-frame" className="live-number">+{formatMs(lane.cancel.lastFrameMs)}</strong> after
          the click ({lane.cancel.framesAfter} in flight); sender stopped{' '}
          <strong data-testid="cancel-server" className="live-number">
            {lane.serverStop ? `+${formatMs(lane.serverStop.ms)}` : '…'}
          </strong>
          {lane.serverStop ? `, ${lane.serverStop.framesAfterStop} frames written after that` : ''}.
        </p>
      ) : null}

      {showText ? (
        <div ref={answer} className="answer" tabIndex={0} role="log" aria-label={`${laneTitles[kind]} answer text`} data-testid="answer">
          {text || <span className="placeholder">The answer appears here as tokens arrive.</span>}
        </div>
      ) : null}

      <div className="recent">
        <h3>Last frames</h3>
        <ol aria-label={`${laneTitles[kind]} last frames`}>
          {(lane?.recent ?? []).map((f, i) => (
            <li key={`${f.seq}-${i}`}>
              <span className="seq">#{f.seq}</span>
              <span className="latency live-number">{formatMs(f.latencyMs)}</span>
              <code className="preview">{f.preview || '∅'}</code>
            </li>
          ))}
          {lane && lane.recent.length === 0 ? <li className="placeholder">No frames yet.</li> : null}
          {!lane ? <li className="placeholder">Press Start.</li> : null}
        </ol>
      </div>
    </section>
  );
}
