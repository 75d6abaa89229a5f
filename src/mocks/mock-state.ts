/**
 * What the mock remembers: one backend core (src/backend/: counters, faults, run log, served streams,
 * polled sessions, token, limits), as the live server holds one, plus the two things MSW in Chromium
 * forces on the mock (README, "How a frame travels"):
 * - the service worker never sees Last-Event-ID, so the mock remembers how far each run's EventSource
 *   got (`positions`) and resumes from there itself;
 * - a mocked EventSource closed by the page is never signalled, so the page says so
 *   (POST /api/mock/stop-run, /api/mock/client-closed) and the mock ends those streams.
 * It lives in the tab, as long as the page does.
 */
import { createBackend, type Backend, type BackendOptions } from '../backend/backend.ts';
import type { OpenSpec, ServedStream } from '../backend/served-streams.ts';
import type { StreamTransport } from '../protocol/faults.ts';

/** The one client a mock serves (the page): the address its streams are held against. */
export const MOCK_ADDRESS = 'page';

function newBackend(options: BackendOptions = {}): Backend {
  return createBackend({ version: __LAB_VERSION__, ...options });
}

let current: Backend = newBackend();
/** How far each `sse|<run>` got: Chromium does not show Last-Event-ID to the service worker. */
export const positions = new Map<string, number>();
/** The streams the mock serves now (ended ones leave), for the two workarounds. */
const served = new Set<ServedStream>();

/** The mock's backend. */
export function mockBackend(): Backend {
  return current;
}

/**
 * Forgets everything (streams end, sessions stop, positions go) and starts a fresh backend with these
 * options: what a restarted live server with these options would be. For tests.
 */
export function resetMock(options: BackendOptions = {}): Backend {
  current.close();
  served.clear();
  positions.clear();
  current = newBackend(options);
  return current;
}

/** Opens a stream on the backend (counted, held, logged) that the two workarounds can find. */
export function openMockStream(spec: OpenSpec): ServedStream {
  const { connection } = spec;
  const stream: ServedStream = current.streams.open({
    ...spec,
    connection: {
      ...connection,
      stop() {
        served.delete(stream);
        connection.stop();
      },
    },
  });
  served.add(stream);
  return stream;
}

/**
 * The page closed its EventSource / aborted its fetch (POST /api/mock/client-closed). A live server
 * notices the connection go; a mocked EventSource is never signalled, so the page says it.
 */
export function mockClientClosed(run: string, transports: readonly StreamTransport[]): number {
  let n = 0;
  for (const stream of [...served]) {
    if (stream.run !== run || !transports.includes(stream.transport)) continue;
    if (stream.end('client-closed')) n++;
  }
  return n;
}

/** Stops every mocked stream of a run and forgets its resume position (POST /api/mock/stop-run). */
export function stopMockRun(run: string): number {
  const n = mockClientClosed(run, ['sse', 'fetch', 'ws']);
  positions.delete(`sse|${run}`);
  current.polls.closeRun(run);
  return n;
}
