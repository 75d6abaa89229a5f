/**
 * The run worker: owns the Live run's RunSession (transports + lane recorders), so receive stamps are
 * taken on a thread the page's rendering cannot block. It answers snapshot requests and nothing else
 * crosses to the page. One session at a time; a request for an older session is ignored.
 */
import { createLabApi } from '../../lib/lab-api.ts';
import { RunSession } from './run-session.ts';
import type { RunWorkerReply, RunWorkerRequest } from './run-worker-protocol.ts';

let current: { id: number; session: RunSession } | null = null;

function reply(message: RunWorkerReply): void {
  postMessage(message);
}

addEventListener('message', (event: MessageEvent<RunWorkerRequest>) => {
  const request = event.data;
  if (request.type === 'start') {
    current?.session.dispose();
    const { origin } = request;
    // The live server's run log (GET /api/runs, every page of it) through the lab API, from this worker.
    const api = createLabApi({ origin });
    const session = new RunSession(request.config, origin, { serverLog: (runId) => api.runs(runId) });
    current = { id: request.session, session };
    session.start();
    return;
  }
  const session = current && current.id === request.session ? current.session : null;
  switch (request.type) {
    case 'snapshot':
      reply({ type: 'snapshot', session: request.session, id: request.id, snapshot: session?.snapshot() ?? null });
      return;
    case 'record':
      // Once, on "Export": the journals' typed arrays are copied to the page, never per frame.
      reply({ type: 'record', session: request.session, id: request.id, recording: session?.recording() ?? null });
      return;
    case 'stop':
      session?.stop();
      return;
    case 'cancel':
      session?.cancel();
      return;
    case 'reconnect':
      session?.reconnect(request.kind);
      return;
    case 'dispose':
      session?.dispose();
      if (session) current = null;
      return;
  }
});
