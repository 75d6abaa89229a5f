/** GET /api/poll on node:http: short polling (wait=0) or long polling (wait>0); see backend/poll-sessions.ts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parsePollQuery } from '../../backend/poll-sessions.ts';
import type { LiveContext } from './context.ts';
import { requestHeadBytes, sendJson, sendRefusal } from './http-io.ts';

export function servePoll(ctx: LiveContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const { polls, catalogue } = ctx.backend;
  const parsed = parsePollQuery(url.searchParams, catalogue.scenarios);
  if (!parsed.ok) {
    sendJson(res, 400, { error: parsed.error });
    return;
  }
  const { key, config, after, wait } = parsed.value;
  const buffer = polls.session(key, config);
  if (buffer === null) {
    sendRefusal(res, polls.refusal());
    return;
  }
  const head = requestHeadBytes(req);
  // Exactly once: whichever comes first of a frame, the end of the wait, or the client leaving.
  const cancel = polls.await(buffer, after, wait, () => {
    if (res.destroyed || res.writableEnded) return;
    sendJson(res, 200, { ...polls.take(buffer, after), requestHeadBytes: head });
  });
  if (wait > 0) res.on('close', cancel);
}
