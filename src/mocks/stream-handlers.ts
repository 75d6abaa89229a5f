/**
 * The mock's HTTP streams, answered by the backend core as the live server answers them
 * (src/server/live/sse-stream.ts, poll.ts): GET /api/sse (EventSource, or fetch with any Accept),
 * POST /api/stream (fetch + a JSON body) and GET /api/poll. The request parsers, admission, the
 * served-stream registry, the frame writers and the polled sessions are the backend's; this file
 * turns them into a streamed Response.
 *
 * Mock-only, forced by MSW in Chromium: the service worker never sees Last-Event-ID, so an EventSource
 * of a run resumes from where the mock remembers that run got (`positions`); a cut is a clean end of
 * the EventSource body (the browser reconnects as after a network error) and an error of a fetch body.
 */
import { http, type RequestHandler } from 'msw';
import { WRONG_CONTENT_TYPE_BODY, type Admission } from '../backend/admission.ts';
import { sseDoneEvent, sseFrameWriter, sseReplyEvent } from '../backend/frame-writers.ts';
import { parsePollQuery } from '../backend/poll-sessions.ts';
import { API } from '../backend/routes.ts';
import { playServed } from '../backend/served-player.ts';
import type { ServedStream } from '../backend/served-streams.ts';
import { parseStreamPost, parseStreamQuery, type StreamRequest } from '../backend/stream-request.ts';
import { MAX_AGENT_BODY_BYTES, MAX_STREAM_BODY_BYTES } from '../protocol/limits.ts';
import { agentTurnHeaders, decideAgentTurn } from '../backend/agent.ts';
import type { Player } from '../protocol/player.ts';
import { encodeSseRetry } from '../protocol/sse-encoding.ts';
import { json, readJsonBody, refuse, refuseUnlessJson, requestHeadBytes } from './mock-http.ts';
import { MOCK_ADDRESS, mockBackend, openMockStream, positions } from './mock-state.ts';
import { simulatedSseHandshake } from './simulated-handshake.ts';
import { utf8Length } from '../protocol/utf8.ts';

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

/** The answer to a stream admission turned away, or null for `open`. */
function refusedAnswer(admission: Admission): Response | null {
  switch (admission.kind) {
    case 'open':
      return null;
    case 'reset':
      // As when the server is down: no answer at all.
      return Response.error();
    case 'empty':
    case 'done-already':
      return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
    case 'wrong-content-type':
      return new Response(WRONG_CONTENT_TYPE_BODY, {
        status: 200,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    case 'error':
      return refuse(admission);
  }
}

/** A resume position the mock keeps per run: EventSource reconnects carry no Last-Event-ID here. */
function positionKey(request: Request, parsed: StreamRequest): string | null {
  if (parsed.run === null || request.headers.has('last-event-id')) return null;
  return `sse|${parsed.run}`;
}

/** An admitted-or-refused SSE stream for a parsed request (`fetch`: POST /api/stream). */
function streamAnswer(request: Request, parsed: StreamRequest, kind: 'sse' | 'fetch', extraHeaders: Record<string, string> = {}): Response {
  const backend = mockBackend();
  const key = kind === 'sse' ? positionKey(request, parsed) : null;
  const remembered = key === null ? 0 : (positions.get(key) ?? 0);
  const streamRequest = remembered > parsed.after ? { ...parsed, after: remembered } : parsed;
  const refused = refusedAnswer(backend.admit(kind, streamRequest, MOCK_ADDRESS));
  if (refused !== null) return refused;

  const { after, options, run, format } = streamRequest;
  const { counters, timers } = backend;
  const encoder = new TextEncoder();
  let stream: ServedStream | null = null;
  let player: Player | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const finish = (how: 'close' | 'error') => {
        if (!open) return;
        open = false;
        try {
          if (how === 'close') controller.close();
          else controller.error(new TypeError('network error (simulated drop)'));
        } catch {
          // Already cancelled by the page.
        }
      };
      const write = (text: string): void => {
        if (stream?.ended === true) {
          counters.writesAfterClose++;
          return;
        }
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stream?.end();
        }
      };
      const served = openMockStream({
        transport: kind,
        run,
        after,
        address: MOCK_ADDRESS,
        options,
        connection: {
          stop: () => player?.stop(),
          // A mocked EventSource sees a clean end and reconnects; a fetch body breaks mid-stream.
          cut: () => finish(kind === 'sse' ? 'close' : 'error'),
          close: () => finish('close'),
          reply: (message) => write(sseReplyEvent(message)),
        },
      });
      stream = served;
      write(encodeSseRetry(streamRequest.retrySet ? options.retry : backend.retryMs));
      served.record.handshake = simulatedSseHandshake(request, streamRequest.body);
      player = playServed({
        served,
        request: streamRequest,
        timers,
        budget: backend.budget,
        encode: sseFrameWriter(format),
        write(payload) {
          write(payload);
          return true;
        },
        afterWrite(seq) {
          if (key !== null) positions.set(key, seq);
        },
        onDone(lastSeq) {
          const done = sseDoneEvent(lastSeq, format);
          if (done !== null) write(done);
          served.end('complete');
          finish('close');
        },
      });
      served.armFlaky();
    },
    cancel() {
      // The page closed the EventSource or aborted the fetch (when the runtime tells us).
      stream?.end();
    },
  });
  return new Response(body, { status: 200, headers: { ...extraHeaders, ...SSE_HEADERS } });
}

export function streamHandlers(): RequestHandler[] {
  return [
    // Any GET: an EventSource's (Accept: text/event-stream) or a fetch's with any Accept, as live.
    http.get(API.sse, ({ request }) => {
      const url = new URL(request.url);
      const lastEventId = request.headers.get('last-event-id') ?? undefined;
      const parsed = parseStreamQuery(url.searchParams, lastEventId, mockBackend().catalogue.scenarios);
      if (!parsed.ok) return json(400, { error: parsed.error });
      return streamAnswer(request, parsed.value, 'sse');
    }),

    // The fetch + SSE lane: the same stream for a JSON body, behind an optional bearer token.
    http.post(API.stream, async ({ request }) => {
      const backend = mockBackend();
      const unauthorized = backend.auth.checkStream(request.headers.get('authorization'));
      if (unauthorized !== null) return refuse(unauthorized);
      const notJson = refuseUnlessJson(request);
      if (notJson !== null) return notJson;
      const body = await readJsonBody(request, MAX_STREAM_BODY_BYTES);
      if (!body.ok) return json(400, { error: body.error });
      const lastEventId = request.headers.get('last-event-id') ?? undefined;
      const parsed = parseStreamPost(body.value, body.text, lastEventId, backend.catalogue.scenarios);
      if (!parsed.ok) return json(400, { error: parsed.error });
      return streamAnswer(request, parsed.value, 'fetch');
    }),

    // An agent turn (fetch + SSE): one step per POST. A service worker sees no connection: 0.
    http.post(API.agent, async ({ request }) => {
      const backend = mockBackend();
      const unauthorized = backend.auth.checkStream(request.headers.get('authorization'));
      if (unauthorized !== null) return refuse(unauthorized);
      const notJson = refuseUnlessJson(request);
      if (notJson !== null) return notJson;
      const head = requestHeadBytes(request);
      const body = await readJsonBody(request, MAX_AGENT_BODY_BYTES);
      if (!body.ok) return json(400, { error: body.error });
      const turn = decideAgentTurn(body.value, body.text, backend.catalogue.scenarios, backend.agents, Date.now());
      if (!turn.ok) return json(turn.status, { error: turn.error });
      return streamAnswer(request, turn.value.request, 'fetch', {
        ...agentTurnHeaders(turn.value),
        'x-lab-connection': '0',
        'x-lab-request-bytes': String(head + utf8Length(body.text ?? '')),
      });
    }),

    // Short polling (wait=0) or long polling (wait>0) of a stream that plays on its own.
    http.get(API.poll, async ({ request }) => {
      const { polls, catalogue } = mockBackend();
      const parsed = parsePollQuery(new URL(request.url).searchParams, catalogue.scenarios);
      if (!parsed.ok) return json(400, { error: parsed.error });
      const { key, config, after, wait } = parsed.value;
      const buffer = polls.session(key, config);
      if (buffer === null) return refuse(polls.refusal());
      const head = requestHeadBytes(request);
      await new Promise<void>((resolve) => {
        const cancel = polls.await(buffer, after, wait, resolve);
        request.signal.addEventListener('abort', () => {
          cancel();
          resolve();
        });
      });
      return json(200, { ...polls.take(buffer, after), requestHeadBytes: head });
    }),
  ];
}
