/**
 * The Origin lesson, live: this page opens a WebSocket and an EventSource to the same server under
 * its other loopback name (127.0.0.1 ⇄ localhost), so the browser sends an Origin the server does
 * not allow. The browser lets the WebSocket through to the server (no CORS for WebSocket), and the
 * server refuses it with 403; the EventSource is answered 200 by the server, and the browser itself
 * refuses to hand it over (CORS). Each side is read from the server's stream log.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import { fetchRunLog } from './use-run-log.ts';
import { headerValue } from './wire-summary.ts';

export interface OriginSide {
  /** What the page's API reported. */
  browser: 'opened' | 'failed';
  /** WebSocket close code the page saw (1006 when the upgrade was refused). */
  closeCode: number | null;
  /** The server's status line, from its log; null when the request never reached it. */
  serverStatus: string | null;
  /** The server's JSON reason (WebSocket), or the CORS header it sent (SSE, null = none). */
  serverDetail: string | null;
}

export type OriginDemoState =
  | { phase: 'idle' }
  | { phase: 'unavailable'; pageHost: string }
  | { phase: 'running'; pageOrigin: string; target: string }
  | { phase: 'done'; pageOrigin: string; target: string; secure: boolean; ws: OriginSide; sse: OriginSide }
  | { phase: 'error'; message: string };

/** The page's other loopback name, or null when it is served under some other host. */
export function otherLoopbackHost(hostname: string): string | null {
  if (hostname === '127.0.0.1') return 'localhost';
  if (hostname === 'localhost') return '127.0.0.1';
  return null;
}

function settle<T>(start: (done: (value: T) => void) => () => void, timeoutMs: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    let finished = false;
    const finish = (value: T) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stop();
      resolve(value);
    };
    const timer = setTimeout(() => finish(fallback), timeoutMs);
    const stop = start(finish);
  });
}

async function logOf(run: string, transport: 'ws' | 'sse'): Promise<StreamRecord | null> {
  // The server logs the exchange as it answers; the page hears of it a moment later.
  for (let i = 0; i < 20; i++) {
    const found = (await fetchRunLog('live', run)).find((r) => r.transport === transport && r.handshake);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

export function useOriginDemo() {
  const [state, setState] = useState<OriginDemoState>({ phase: 'idle' });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const run = useCallback(async () => {
    const other = otherLoopbackHost(location.hostname);
    if (!other) {
      setState({ phase: 'unavailable', pageHost: location.hostname });
      return;
    }
    const port = location.port ? `:${location.port}` : '';
    const target = `${other}${port}`;
    const id = `origin-${Date.now().toString(36)}`;
    setState({ phase: 'running', pageOrigin: location.origin, target });
    try {
      const wsScheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = await settle<{ opened: boolean; code: number | null }>(
        (done) => {
          const socket = new WebSocket(`${wsScheme}//${target}/api/ws?scenario=ticker&rate=1&run=${id}`);
          socket.onopen = () => done({ opened: true, code: null });
          socket.onclose = (event) => done({ opened: false, code: event.code });
          return () => {
            socket.onopen = null;
            socket.onclose = null;
            socket.close();
          };
        },
        5_000,
        { opened: false, code: null },
      );
      const sse = await settle<boolean>(
        (done) => {
          const source = new EventSource(`${location.protocol}//${target}/api/sse?scenario=ticker&rate=1&count=3&run=${id}-sse`);
          source.onopen = () => done(true);
          source.onerror = () => done(false);
          return () => source.close();
        },
        5_000,
        false,
      );
      const [wsRecord, sseRecord] = await Promise.all([logOf(id, 'ws'), logOf(`${id}-sse`, 'sse')]);
      let reason: string | null = null;
      try {
        reason = wsRecord?.handshake?.body ? ((JSON.parse(wsRecord.handshake.body) as { error?: string }).error ?? null) : null;
      } catch {
        reason = wsRecord?.handshake?.body ?? null;
      }
      if (!alive.current) return;
      setState({
        phase: 'done',
        pageOrigin: location.origin,
        target,
        secure: location.protocol === 'https:',
        ws: {
          browser: ws.opened ? 'opened' : 'failed',
          closeCode: ws.code,
          serverStatus: wsRecord?.handshake?.response.line ?? null,
          serverDetail: reason,
        },
        sse: {
          browser: sse ? 'opened' : 'failed',
          closeCode: null,
          serverStatus: sseRecord?.handshake?.response.line ?? null,
          serverDetail: sseRecord?.handshake ? headerValue(sseRecord.handshake.response, 'access-control-allow-origin') : null,
        },
      });
    } catch (error) {
      if (alive.current) setState({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);

  return useMemo(() => ({ state, run }), [state, run]);
}

export type OriginDemo = ReturnType<typeof useOriginDemo>;
