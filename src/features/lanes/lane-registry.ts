/**
 * Every lane the lab can run, once: what the URL calls it, what the page calls it, its colour, and what
 * the server calls its stream. Everything that needs one of these per lane reads it here, so a lane is
 * added (or renamed) in one place. Pure data: no React, no transport code (the first page load reads
 * it; the transports load with the first run).
 *
 * `kind` is also the lane's `data-lane` attribute and the key of its test ids: a public interface
 * (README, "Test hooks"), not to be changed.
 */
import type { MessageKey } from '../../i18n/en.ts';
import type { StreamTransport } from '../../protocol/faults.ts';
import type { TransportKind } from '../../transports/transport.ts';

export interface LaneSpec {
  kind: TransportKind;
  /** Its code in the `lanes=` URL parameter (`?lanes=es,ws`). */
  urlCode: string;
  /** The lane's name and one-line description, by key: the dictionaries hold the words. */
  title: MessageKey;
  subtitle: MessageKey;
  /** The product's name, the same in every language (claims' verdicts quote it). */
  name: string;
  /**
   * The lane's colour: the CSS custom property the theme sets (src/styles.css, light and dark), and
   * its light-theme value for a canvas drawn before the first getComputedStyle.
   */
  color: { cssVar: `--lane-${string}`; fallback: string };
  /**
   * The server's name for this lane's stream: the `transport` of POST /api/chat and of the records of
   * GET /api/runs, and a fault's target. Null for lanes whose requests the server logs no stream for.
   */
  server: StreamTransport | null;
  /** Which protocol it speaks, for rows and notes that differ by protocol rather than by lane. */
  family: 'sse' | 'websocket' | 'polling';
  /** Runs when the URL names no lanes. */
  byDefault: boolean;
  /** How "Stop generating" ends it, and what its chat costs (lane notes). */
  cancelHow: MessageKey;
  chatCostHelp: MessageKey;
}

export const laneRegistry = {
  eventsource: {
    kind: 'eventsource',
    urlCode: 'es',
    title: 'lanes.title.eventsource',
    subtitle: 'lanes.subtitle.eventsource',
    name: 'EventSource',
    color: { cssVar: '--lane-es', fallback: '#1f6feb' },
    server: 'sse',
    family: 'sse',
    byDefault: true,
    cancelHow: 'lanes.cancelHow.eventsource',
    chatCostHelp: 'lanes.chatCost.sse',
  },
  'fetch-sse': {
    kind: 'fetch-sse',
    urlCode: 'fetch',
    title: 'lanes.title.fetch-sse',
    subtitle: 'lanes.subtitle.fetch-sse',
    name: 'fetch + SSE',
    color: { cssVar: '--lane-fetch', fallback: '#7c3aed' },
    server: 'fetch',
    family: 'sse',
    byDefault: true,
    cancelHow: 'lanes.cancelHow.fetch-sse',
    chatCostHelp: 'lanes.chatCost.sse',
  },
  websocket: {
    kind: 'websocket',
    urlCode: 'ws',
    title: 'lanes.title.websocket',
    subtitle: 'lanes.subtitle.websocket',
    name: 'WebSocket',
    color: { cssVar: '--lane-ws', fallback: '#c2410c' },
    server: 'ws',
    family: 'websocket',
    byDefault: true,
    cancelHow: 'lanes.cancelHow.websocket',
    chatCostHelp: 'lanes.chatCost.websocket',
  },
  'websocket-stream': {
    kind: 'websocket-stream',
    urlCode: 'wss',
    title: 'lanes.title.websocket-stream',
    subtitle: 'lanes.subtitle.websocket-stream',
    name: 'WebSocketStream',
    color: { cssVar: '--lane-wss', fallback: '#be185d' },
    // The same endpoint as the WebSocket lane; its records say `client: "websocket-stream"` (?client=).
    server: 'ws',
    family: 'websocket',
    byDefault: false,
    cancelHow: 'lanes.cancelHow.websocket',
    chatCostHelp: 'lanes.chatCost.websocket',
  },
  'short-poll': {
    kind: 'short-poll',
    urlCode: 'poll',
    title: 'lanes.title.short-poll',
    subtitle: 'lanes.subtitle.short-poll',
    name: 'short polling',
    color: { cssVar: '--lane-poll', fallback: '#6b7280' },
    server: null,
    family: 'polling',
    byDefault: false,
    cancelHow: 'lanes.cancelHow.polling',
    chatCostHelp: 'lanes.chatCost.polling',
  },
  'long-poll': {
    kind: 'long-poll',
    urlCode: 'longpoll',
    title: 'lanes.title.long-poll',
    subtitle: 'lanes.subtitle.long-poll',
    name: 'long polling',
    color: { cssVar: '--lane-longpoll', fallback: '#0f766e' },
    server: null,
    family: 'polling',
    byDefault: false,
    cancelHow: 'lanes.cancelHow.polling',
    chatCostHelp: 'lanes.chatCost.polling',
  },
} as const satisfies { readonly [K in TransportKind]: LaneSpec & { kind: K } };

/** Every lane, in display order (the order of the checkboxes, the URL and the columns). */
export const laneKinds: readonly TransportKind[] = Object.keys(laneRegistry) as TransportKind[];

export function laneSpec(kind: TransportKind): LaneSpec {
  return laneRegistry[kind];
}

/** Lanes shown when the URL names none. */
export const defaultLanes: readonly TransportKind[] = laneKinds.filter((kind) => laneRegistry[kind].byDefault);

/** `lanes=` codes and their lanes, in display order. */
export const laneCodes: readonly (readonly [string, TransportKind])[] = laneKinds.map((kind) => [laneRegistry[kind].urlCode, kind]);

/** The lane a `lanes=` code names, if any. */
export function laneOfUrlCode(code: string): TransportKind | undefined {
  return laneKinds.find((kind) => laneRegistry[kind].urlCode === code);
}

/** Each lane's name key (lanes, charts, controls). */
export const laneTitleKeys = Object.fromEntries(laneKinds.map((kind) => [kind, laneRegistry[kind].title])) as {
  readonly [K in TransportKind]: (typeof laneRegistry)[K]['title'];
};

/** The server's name of each lane's stream (null: none). */
export function serverTransportOf(kind: TransportKind): StreamTransport | null {
  return laneRegistry[kind].server;
}

/** The lane whose stream the server calls `transport`. */
export function laneOfServerTransport(transport: StreamTransport): TransportKind | undefined {
  return laneKinds.find((kind) => laneRegistry[kind].server === transport);
}
