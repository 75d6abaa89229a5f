/**
 * The named-event trap, live: two EventSources read the same Anthropic-style stream (GET /api/sse
 * with `format=anthropic`, whose every event is named). One listens the way most EventSource examples
 * do, with `onmessage` only — which fires for unnamed events (type "message") and so hears nothing.
 * The other adds a listener per event type and hears them all. Both run until the second sees
 * `message_stop`, so they watch the same stream for the same time.
 */
import { anthropicEvents } from '../../protocol/llm-wire.ts';

export interface TrapResult {
  /** Events `onmessage` received. */
  onmessage: number;
  /** Events per type that `addEventListener(type)` received, in the stream's order of types. */
  perType: Record<string, number>;
}

/** A stream short and fast enough to finish in well under a second. */
export function trapUrl(origin: string, run: string): string {
  const query = new URLSearchParams({ scenario: 'llm', format: 'anthropic', ttft: '0', tps: '200', tokens: '20', seed: '1', retry: '60000', run });
  return `${origin}/api/sse?${query}`;
}

type EventSourceCtor = new (url: string) => EventSource;

/** Runs both listeners on `url`; rejects if the stream does not end within `timeoutMs`. */
export function runTrap(url: string, timeoutMs = 10_000, EventSourceImpl: EventSourceCtor = EventSource): Promise<TrapResult> {
  return new Promise((resolve, reject) => {
    const result: TrapResult = { onmessage: 0, perType: Object.fromEntries(anthropicEvents.map((type) => [type, 0])) };
    const plain = new EventSourceImpl(url);
    const named = new EventSourceImpl(url);
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      plain.close();
      named.close();
      if (error) reject(error);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(new Error(`the stream did not end within ${timeoutMs} ms`)), timeoutMs);
    plain.onmessage = () => {
      result.onmessage++;
    };
    for (const type of anthropicEvents) {
      named.addEventListener(type, () => {
        result.perType[type]++;
        if (type === 'message_stop') finish(null);
      });
    }
    named.onerror = () => {
      if (named.readyState === EventSource.CLOSED) finish(new Error('the stream could not be opened'));
    };
  });
}
