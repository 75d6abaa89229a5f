/* global performance, fetch, TextDecoder, AbortController, Buffer, process, URL, setTimeout, clearTimeout */
/**
 * Artillery processor for the lab's streams (the script comes from
 * src/features/load-export/load-script.ts; `npm run load` writes and runs it).
 *
 * - `sseStream` (http engine, a `function` step): GET the SSE stream with fetch and read it with a
 *   real SSE parser (eventsource-parser), to the server's `event: done`.
 * - `wsConnect` (the ws engine's `connect.function`) + `wsStream` (a `function` step): the ws engine
 *   opens the socket; its messages are read from the moment it opens (see `holdEarlyMessages`) to
 *   the server's `{"type":"done"}`.
 *
 * Both check every frame's `seq` (lost, duplicated, out of order) and `t` (one-way latency = receive
 * time − t; both clocks are `performance.timeOrigin + performance.now()`, so across machines the
 * latency includes their clock offset) and report them as Artillery metrics:
 *
 *   lab.<sse|ws>.latency_ms     histogram  receive time − frame.t, per frame
 *   lab.<sse|ws>.ttft_ms        histogram  request (or connect) start → first frame, per stream
 *   lab.<sse|ws>.frames         counter    frames received
 *   lab.<sse|ws>.lost           counter    seqs never received by the end of the stream
 *   lab.<sse|ws>.duplicated     counter    frames received twice
 *   lab.<sse|ws>.reordered      counter    frames received after a higher seq
 *   lab.<sse|ws>.streams_complete / streams_incomplete   streams that did / did not reach `done`
 *
 * Every counter is emitted (0 included) at the end of each stream, so the `ensure` checks always
 * find it. An incomplete stream also emits an error and fails its virtual user.
 *
 * Variables (config.variables): labSsePath, labWsPath (path and query of the stream), labStreamTimeoutMs.
 */
import { subscribe } from 'node:diagnostics_channel';
import { createParser } from 'eventsource-parser';

/** The lab's clock: the same on the server (src/protocol/player.ts) and here. */
const now = () => performance.timeOrigin + performance.now();

const BINARY_HEADER_BYTES = 13;

/** seq bookkeeping, as the page's own SequenceTracker (src/metrics/sequence-tracker.ts). */
export class SeqTracker {
  highest = 0;
  delivered = 0;
  duplicated = 0;
  reordered = 0;
  holes = new Set();

  record(seq) {
    if (seq === this.highest + 1) {
      this.highest = seq;
      this.delivered++;
    } else if (seq > this.highest) {
      for (let s = this.highest + 1; s < seq; s++) this.holes.add(s);
      this.highest = seq;
      this.delivered++;
    } else if (this.holes.delete(seq)) {
      this.delivered++;
      this.reordered++;
    } else {
      this.duplicated++;
    }
  }

  /** Frames never received: holes, plus the tail when the server said how many it sent. */
  lost(total) {
    const tail = typeof total === 'number' && total > this.highest ? total - this.highest : 0;
    return this.holes.size + tail;
  }
}

/** A frame's seq and t from a lab message: JSON text, or the binary scenario's 13-byte header. */
export function readMessage(data) {
  if (typeof data === 'string') {
    let value;
    try {
      value = JSON.parse(data);
    } catch {
      return { type: 'garbage' };
    }
    if (value && value.type === 'frame' && Number.isInteger(value.seq) && typeof value.t === 'number') {
      return { type: 'frame', seq: value.seq, t: value.t };
    }
    if (value && value.type === 'done' && typeof value.total === 'number') return { type: 'done', total: value.total };
    return { type: value && typeof value.type === 'string' ? value.type : 'garbage' };
  }
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (bytes.length < BINARY_HEADER_BYTES || bytes[0] !== 1) return { type: 'garbage' };
  return { type: 'frame', seq: bytes.readUInt32BE(1), t: bytes.readDoubleBE(5) };
}

/** One stream's measurements, reported to Artillery as it goes and at its end. */
export class StreamMeter {
  constructor(events, transport, startedAt) {
    this.events = events;
    this.prefix = `lab.${transport}`;
    this.startedAt = startedAt;
    this.seq = new SeqTracker();
    this.firstFrameAt = null;
    this.total = null;
    this.garbage = 0;
  }

  frame(seq, t, receivedAt) {
    if (this.firstFrameAt === null) {
      this.firstFrameAt = receivedAt;
      this.events.emit('histogram', `${this.prefix}.ttft_ms`, receivedAt - this.startedAt);
    }
    this.seq.record(seq);
    this.events.emit('histogram', `${this.prefix}.latency_ms`, receivedAt - t);
    this.events.emit('counter', `${this.prefix}.frames`, 1);
  }

  message(parsed, receivedAt) {
    if (parsed.type === 'frame') this.frame(parsed.seq, parsed.t, receivedAt);
    else if (parsed.type === 'done') this.total = parsed.total;
    else if (parsed.type === 'garbage') this.garbage++;
  }

  get complete() {
    return this.total !== null;
  }

  /** Emits the stream's counters (zeros included); returns an error text when it did not complete. */
  finish(reason) {
    const { events, prefix, seq } = this;
    const complete = this.complete && this.garbage === 0;
    events.emit('counter', `${prefix}.lost`, seq.lost(this.total));
    events.emit('counter', `${prefix}.duplicated`, seq.duplicated);
    events.emit('counter', `${prefix}.reordered`, seq.reordered);
    events.emit('counter', `${prefix}.streams_complete`, complete ? 1 : 0);
    events.emit('counter', `${prefix}.streams_incomplete`, complete ? 0 : 1);
    if (complete) return null;
    const why = this.garbage > 0 ? `${this.garbage} unreadable messages` : reason;
    return `${prefix}: stream ended before done (${why}; ${seq.delivered} frames)`;
  }
}

function streamTimeout(context) {
  const ms = Number(context.vars.labStreamTimeoutMs);
  return Number.isFinite(ms) && ms > 0 ? ms : 120_000;
}

function fail(events, message) {
  events.emit('error', message);
  return new Error(message);
}

// ---------------------------------------------------------------------------------------------- SSE

/** A `function` step of the http engine: one SSE stream, start to `event: done`. */
export async function sseStream(context, events) {
  const url = new URL(context.vars.labSsePath, context.vars.target).href;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error('timeout')), streamTimeout(context));
  const meter = new StreamMeter(events, 'sse', now());
  let receivedAt = 0;
  const parser = createParser({
    onEvent(event) {
      if (event.event === 'done') {
        meter.message(readMessage(event.data), receivedAt);
      } else if (event.event === 'bytes') {
        meter.message(readMessage(Buffer.from(event.data, 'base64')), receivedAt);
      } else if (event.event === undefined || event.event === 'message') {
        meter.message(readMessage(event.data), receivedAt);
      }
    },
  });
  let reason = 'the server closed the response';
  try {
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('text/event-stream')) {
      await response.body?.cancel();
      meter.finish('refused');
      throw fail(events, `lab.sse.http_${response.status}`);
    }
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      // Stamp first, then parse: every event in this chunk arrived now.
      receivedAt = now();
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (meter.complete) break;
    }
  } catch (err) {
    if (err instanceof Error && /^lab\.sse\.http_/.test(err.message)) throw err;
    reason = abort.signal.aborted ? `no done within ${streamTimeout(context)} ms` : String(err?.cause?.code ?? err?.message ?? err);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  const error = meter.finish(reason);
  if (error) throw fail(events, error);
}

// ---------------------------------------------------------------------------------------- WebSocket

/**
 * The ws engine attaches its steps to the socket only after `open`, a tick later; a frame that
 * came in the same read as the 101 answer (a burst starts at once) would be delivered before that
 * with nobody listening. So every WebSocket client request of this process gets a listener that
 * runs before ws's own `upgrade` handler and, one tick later (after ws has set the socket up but
 * before the socket's first read is delivered), starts holding the socket's messages, each with its
 * receive stamp, until `wsStream` takes them.
 */
const inboxes = new WeakMap();

function inboxOf(ws) {
  let inbox = inboxes.get(ws);
  if (!inbox) {
    inbox = { held: [], deliver: null };
    inboxes.set(ws, inbox);
    ws.on('message', (data, isBinary) => {
      const receivedAt = now();
      const payload = typeof data === 'string' || isBinary !== false ? data : data.toString('utf8');
      if (inbox.deliver) inbox.deliver(payload, receivedAt);
      else inbox.held.push([payload, receivedAt]);
    });
  }
  return inbox;
}

function webSocketOf(socket) {
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'websocket');
  return key ? socket[key] : undefined;
}

subscribe('http.client.request.start', ({ request }) => {
  if (String(request.getHeader('upgrade') ?? '').toLowerCase() !== 'websocket') return;
  request.prependListener('upgrade', (_res, socket) => {
    process.nextTick(() => {
      const ws = webSocketOf(socket);
      if (ws) inboxOf(ws);
    });
  });
});

/** The ws engine's `connect.function`: the stream's URL from the target, and the connect stamp. */
export function wsConnect(wsArgs, context, done) {
  const url = new URL(context.vars.labWsPath, context.vars.target);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  wsArgs.target = url.href;
  context.vars.labConnectAt = now();
  done();
}

/** A `function` step of the ws engine: reads the socket's messages to the server's `done`. */
export async function wsStream(context, events) {
  const ws = context.ws;
  const meter = new StreamMeter(events, 'ws', Number(context.vars.labConnectAt) || now());
  const inbox = inboxOf(ws);
  const reason = await new Promise((resolve) => {
    const timer = setTimeout(() => finish(`no done within ${streamTimeout(context)} ms`), streamTimeout(context));
    function finish(why) {
      clearTimeout(timer);
      inbox.deliver = null;
      ws.off('close', onClose);
      resolve(why);
    }
    function onClose(code) {
      finish(`closed with ${code}`);
    }
    inbox.deliver = (payload, receivedAt) => {
      meter.message(readMessage(payload), receivedAt);
      if (meter.complete) finish('done');
    };
    for (const [payload, receivedAt] of inbox.held.splice(0)) inbox.deliver?.(payload, receivedAt);
    if (inbox.deliver) ws.on('close', onClose);
  });
  const error = meter.finish(reason);
  if (error) throw fail(events, error);
}
