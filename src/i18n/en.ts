/**
 * Every user-facing English string of the lab, in one place. `zh.ts` must have exactly the same keys
 * (the compiler and `messages.test.ts` both check). `{name}` placeholders are filled by `t()`.
 *
 * Sections are grouped by feature; keep each feature's keys together, prefixed with its name.
 */
export const en = {
  // --- app ---
  'app.title': 'SSE vs WebSocket Lab',
  'app.language': 'Language',
  'app.language.en': 'English',
  'app.language.zh': '中文',
  'app.intro':
    'One scenario, the same frames, side by side: EventSource, fetch + SSE (what LLM SDKs use) and WebSocket. Watch what each really does.',
  'app.note.mock': 'Mock: a service worker plays the scenario inside this tab. Deterministic, no server, no network.',
  'app.note.live': 'Live: real endpoints on this server; every number is a real network number.',
  'app.note.liveLoading': 'Live: asking the server for its scenarios…',
  'app.footer.latency':
    "Latency is receive time minus the sender's stamp, both from {clock}. In Live mode the lanes receive in a worker that this page's drawing cannot hold up; in Mock mode they share the page's main thread with the mock and the charts.",
  // --- end app ---

  // --- catalogue ---
  // Scenario and parameter texts by key; the English ones must equal src/protocol (catalogue-text.test.ts).
  // `param.<name>.*` is shared; `param.<scenario>.<name>.*` overrides one field for one scenario.
  'scenario.ticker.label': 'Ticker',
  'scenario.ticker.description': 'A steady stream: fixed rate, fixed payload size.',
  'scenario.llm.label': 'LLM tokens',
  'scenario.llm.description':
    'A chat answer streamed token by token: a pause before the first token, an uneven pace, an end marker.',
  'scenario.burst.label': 'Bursts',
  'scenario.burst.description': 'Silence, then many frames at once: how each transport copes with a backlog.',
  'scenario.chat.label': 'Two-way chat',
  'scenario.chat.description':
    'The user talks while the stream runs: WebSocket sends on its socket, the SSE lanes need a POST /api/chat side channel.',
  'scenario.binary.label': 'Binary data',
  'scenario.binary.description':
    'Random bytes at a steady rate: WebSocket sends them as binary messages, the SSE lanes as base64 text.',
  'param.seed.label': 'Seed',
  'param.seed.description': 'Same seed, same frames: in Mock and Live, in every lane.',
  'param.size.label': 'Payload size',
  'param.size.description': 'Bytes of payload in each frame (the JSON envelope comes on top).',
  'param.count.label': 'Frames',
  'param.count.description': 'Frames to send before the stream ends; 0 runs until you press Stop.',
  'param.rate.label': 'Rate',
  'param.rate.description': 'Frames per second, paced by the sender.',
  'param.ttft.label': 'Time to first token',
  'param.ttft.description': 'How long the "model" thinks before the first token.',
  'param.tokens.label': 'Tokens',
  'param.tokens.description': 'Tokens in the answer; an end marker follows the last one.',
  'param.tps.label': 'Mean pace',
  'param.tps.description': 'Average tokens per second; single gaps vary around it, with an occasional stall.',
  'param.burst.label': 'Frames per burst',
  'param.burst.description': 'Frames sent back to back in each burst.',
  'param.interval.label': 'Interval',
  'param.interval.description': 'Time between the starts of two bursts.',
  'param.messages.label': 'User messages',
  'param.messages.description': 'Messages the page sends, one every gap, in every lane.',
  'param.gap.label': 'Gap',
  'param.gap.description': 'Time between two user messages.',
  'param.chat.rate.label': 'Stream rate',
  'param.chat.rate.description': 'The stream that keeps running while the user talks.',
  'param.binary.size.description': 'Random bytes in each frame (a 13-byte header comes on top).',
  'setting.retry.label': 'SSE retry',
  'setting.retry.description': 'The reconnection time the server sends EventSource in its retry: field.',
  'setting.flakyFrames.label': 'Drop every',
  'setting.flakyFrames.description': 'The server drops each connection after this many frames on it; 0 never.',
  'setting.flakyMs.label': 'Drop every',
  'setting.flakyMs.description': 'The server drops each connection this long after it opened; 0 never.',
  'setting.backoffBase.label': 'WS backoff base',
  'setting.backoffBase.description': 'First retry waits up to this long; each further retry doubles the ceiling.',
  'setting.backoffCap.label': 'WS backoff cap',
  'setting.backoffCap.description': 'No retry waits longer than this.',
  'setting.backoffMax.label': 'WS max attempts',
  'setting.backoffMax.description':
    'Retries in a row before the lane gives up; a connection that delivers resets the count.',
  'unit.ms': 'ms',
  'unit.bytes': 'bytes',
  'unit.frames': 'frames',
  'unit.msg/s': 'msg/s',
  'unit.tokens/s': 'tokens/s',
  'catalogue.error.unreachable': 'cannot reach /api/info ({error})',
  'catalogue.error.status': '/api/info answered {status} {statusText}',
  'catalogue.error.shape': '/api/info did not answer with a scenario catalogue',
  // --- end catalogue ---

  // --- controls ---
  'controls.form': 'Run controls',
  'controls.mode': 'Mode',
  'controls.mode.mock': 'Mock',
  'controls.mode.live': 'Live',
  'controls.scenario': 'Scenario',
  'controls.format': 'SSE wire format',
  'controls.format.lab': 'lab frames (JSON per event)',
  'controls.format.anthropic': 'named events (Anthropic-style)',
  'controls.format.openai': 'data-only + [DONE] (OpenAI-style)',
  'controls.api': 'fetch calls',
  'controls.api.lab': 'lab (/api/stream)',
  'controls.api.chat': 'OpenAI Chat Completions',
  'controls.api.responses': 'OpenAI Responses',
  'controls.api.messages': 'Anthropic Messages',
  'controls.lanes': 'Lanes',
  'controls.lanes.none': 'Pick at least one lane.',
  'controls.token': 'Bearer token (fetch lane)',
  'controls.fetchResume': 'resume by itself',
  'controls.start': 'Start',
  'controls.starting': 'Starting…',
  'controls.stop': 'Stop',
  'controls.cancel': 'Stop generating',
  'controls.cancel.title':
    'Cancel the answer the way chat clients do: WebSocket sends a cancel on its socket, fetch aborts, EventSource closes',
  'controls.liveUnavailable':
    'Live endpoints unavailable: {error}. Start the lab with {start} (or {dev}), or switch to Mock.',
  'controls.param.range': 'an integer from {min} to {max}',
  'controls.param.rangeUnit': 'an integer from {min} to {max} ({unit})',
  'controls.param.required': '{name} is required: {range}',
  'controls.param.invalid': '{name} must be {range}; got {got}',
  // --- end controls ---

  // --- lanes ---
  'lanes.title.eventsource': 'EventSource',
  'lanes.title.fetch-sse': 'fetch + SSE',
  'lanes.title.websocket': 'WebSocket',
  'lanes.title.short-poll': 'Short polling',
  'lanes.title.long-poll': 'Long polling',
  'lanes.subtitle.eventsource': 'SSE · GET /api/sse · browser reconnects by itself',
  'lanes.subtitle.fetch-sse': 'SSE · POST /api/stream with a JSON body · read with fetch(), as LLM SDKs do',
  'lanes.subtitle.fetch-sse.provider': 'SSE · POST {path} in the provider’s format · read with fetch(), as its SDK does',
  'lanes.subtitle.websocket': 'WS · /api/ws · one message per frame (binary in the binary scenario)',
  'lanes.subtitle.short-poll': 'HTTP · GET /api/poll every 250 ms · answers at once, often empty',
  'lanes.subtitle.long-poll': 'HTTP · GET /api/poll?wait=25000 · the server holds each request until there is news',
  'lanes.state.idle': 'idle',
  'lanes.state.connecting': 'connecting',
  'lanes.state.open': 'open',
  'lanes.state.reconnecting': 'reconnecting',
  'lanes.state.closed': 'closed',
  'lanes.complete': 'Stream complete.',
  'lanes.stopped': 'Stopped.',
  'lanes.why.summary': 'Why not EventSource here?',
  'lanes.why':
    'EventSource cannot make this request: it only sends GET, with no body and no headers of its own (no {header}).',
  'lanes.frames': 'Frames',
  'lanes.bytes': 'Message bytes',
  'lanes.bytes.title': 'JSON text as delivered to the page, without SSE field names or WebSocket frame headers',
  'lanes.rate': 'Rate',
  'lanes.latency': 'Latency p50 / p95 / p99',
  'lanes.reconnects': 'Reconnects',
  'lanes.downtime': 'Downtime median / last / max',
  'lanes.downtime.title': 'From the last frame before a connection was lost to the first frame after',
  'lanes.sequence': 'Lost / dup / reordered',
  'lanes.errors': 'Errors',
  'lanes.ttft': 'TTFT',
  'lanes.ttft.title': 'From pressing Start to the first token on screen: connecting included',
  'lanes.tokensPerSecond': 'Tokens/s',
  'lanes.tokenGaps': 'Token gap p50 / p95 / max',
  'lanes.tokenGaps.title': 'Receive-time gaps between consecutive tokens',
  'lanes.total': 'Total',
  'lanes.total.title': 'From pressing Start to the end marker',
  'lanes.answered': 'Answered',
  'lanes.chatRtt': 'Chat RTT p50 / p95 / max',
  'lanes.chatRtt.title': 'User message sent → its answer received on this lane',
  'lanes.chatCost': 'Upstream: connections / requests / bytes',
  'lanes.chatCost.sse':
    'The stream plus the connections the POST /api/chat requests came on (counted by the server); bytes are request line, headers and body as the server received them.',
  'lanes.chatCost.websocket':
    'Messages go up the same socket: bytes are the JSON plus a 6-byte client frame header (mask included).',
  'lanes.chatCost.polling': 'Polling lanes do not chat.',
  'lanes.chatCost.socket': '1 socket / 0 / {bytes}',
  'lanes.requests': 'Requests',
  'lanes.requestsPerFrame': 'Requests / frame',
  'lanes.requestsPerFrame.title': 'Requests made per frame delivered',
  'lanes.headerBytes': 'Header bytes / frame',
  'lanes.headerBytes.title':
    'Request heads as the server received them, plus response heads as the page sees them, per frame delivered',
  'lanes.pingRtt': 'Ping RTT',
  'lanes.reconnect.lastClose': 'Last close {close}.',
  'lanes.reconnect.ws': 'Retry #{attempt} in {delay} (backoff with full jitter, resumes after #{seq}).',
  'lanes.reconnect.wsClose':
    'Retry #{attempt} in {delay} (backoff with full jitter, resumes after #{seq}); last close {close}.',
  'lanes.reconnect.fetch': 'The lab resumes after {retry} ms with Last-Event-ID: {seq} (attempt {attempt}).',
  'lanes.reconnect.es': 'The browser retries by itself (attempt {attempt}), sending Last-Event-ID: {seq}.',
  'lanes.reconnect.esRetry':
    'The browser retries by itself after retry: {retry} ms (attempt {attempt}), sending Last-Event-ID: {seq}.',
  'lanes.reconnectButton': 'Reconnect {lane} (resume after #{seq})',
  'lanes.lastError': 'Last error: {error}',
  'lanes.cancelHow.eventsource': 'EventSource closed',
  'lanes.cancelHow.fetch-sse': 'request aborted',
  'lanes.cancelHow.websocket': 'cancel sent on the open socket',
  'lanes.cancelHow.polling': 'polling stopped',
  'lanes.cancel':
    'Stop generating ({how}): last frame {lastFrame} after the click ({inFlight} in flight); sender stopped {server}{after}.',
  'lanes.cancel.after': ', {n} frames written after that',
  'lanes.answer': '{lane} answer text',
  'lanes.answer.placeholder': 'The answer appears here as tokens arrive.',
  'lanes.recent': 'Last frames',
  'lanes.recent.list': '{lane} last frames',
  'lanes.recent.none': 'No frames yet.',
  'lanes.recent.idle': 'Press Start.',
  // --- end lanes ---

  // --- charts ---
  'charts.region': 'Charts',
  'lessons.region': 'Lessons',
  'charts.latency.title': 'One-way latency',
  'charts.latency.description': 'receive time − send time, per frame (ms)',
  'charts.frames.title': 'Frames received',
  'charts.frames.description': 'running total; shaded: lane down, dashed: reconnected',
  'charts.frames.axis': 'frames',
  'charts.rtt.title': 'Chat round trip',
  'charts.rtt.description': 'user message sent → its answer received (ms)',
  'charts.newest': 'Newest values: {values}.',
  'charts.noData': 'No data yet.',
  'charts.noValue': 'none yet',
  // --- end charts ---

  // --- faults ---
  'faults.title': 'Faults & reconnects',
  'faults.note.mock':
    'Break the connections on purpose and watch each lane recover — or not. Settings apply to the next run; actions hit the running one (simulated by the mock). Browser: {online}.',
  'faults.note.live':
    'Break the connections on purpose and watch each lane recover — or not. Settings apply to the next run; actions hit the running one (on the live server). Browser: {online}.',
  'faults.online': 'online',
  'faults.offline': 'offline',
  'faults.drop': 'Drop now',
  'faults.drop.sse': 'Drop EventSource',
  'faults.drop.fetch': 'Drop fetch + SSE',
  'faults.drop.ws': 'Drop WebSocket',
  'faults.drop.all': 'Drop all',
  'faults.dropped.one': 'Dropped {n} connection.',
  'faults.dropped.other': 'Dropped {n} connections.',
  'faults.outage': 'Outage',
  'faults.outage.length': 'Length (ms)',
  'faults.outage.flavour': 'Flavour',
  'faults.outage.reset': 'reset (connections cut)',
  'faults.outage.503': '503 (answered 503)',
  'faults.outage.start': 'Start outage',
  'faults.outage.started': 'Outage ({mode}) for {ms} ms; dropped {n}.',
  'faults.http': 'HTTP error on the next SSE connection',
  'faults.http.lane': 'Lane',
  'faults.http.answer': 'Answer',
  'faults.http.204': '204 No Content',
  'faults.http.404': '404 Not Found',
  'faults.http.429': '429 Too Many Requests (Retry-After: 1)',
  'faults.http.500': '500 Internal Server Error',
  'faults.http.503': '503 Service Unavailable',
  'faults.http.content-type': '200 with text/plain',
  'faults.http.arm': 'Arm',
  'faults.http.armed': 'Armed: the next {lane} connection gets {answer}. Drop that lane to make it reconnect.',
  'faults.auth': 'Server auth (POST /api/stream)',
  'faults.auth.token': 'Token the server requires',
  'faults.auth.require': 'Require token',
  'faults.auth.none': 'No token',
  'faults.auth.required': 'The server now requires that bearer token on POST /api/stream.',
  'faults.auth.notRequired': 'The server no longer requires a token.',
  'faults.unreachable': 'cannot reach {path} ({error})',
  'faults.ready': 'Ready.',
  'faults.idle': 'Start a run to inject faults.',
  // --- end faults ---

  // --- run ---
  'run.startError': 'Could not prepare {mode} mode: {error}',
  'run.chat.httpError': 'Chat {id}: HTTP {status}',
  'run.chat.httpErrorReason': 'Chat {id}: HTTP {status}: {error}',
  'run.chat.error': 'Chat {id}: {error}',
  // --- end run ---

  // --- transports ---
  'transport.close.1000': 'normal closure',
  'transport.close.1001': 'going away',
  'transport.close.1002': 'protocol error',
  'transport.close.1003': 'unsupported data',
  'transport.close.1006': 'abnormal closure: no close frame, the connection was cut or never opened',
  'transport.close.1007': 'invalid payload',
  'transport.close.1008': 'policy violation',
  'transport.close.1009': 'message too big',
  'transport.close.1011': 'internal error',
  'transport.close.1012': 'service restart',
  'transport.close.1013': 'try again later',
  'transport.close.1014': 'bad gateway',
  'transport.close.other': 'application-defined',
  'transport.close.described': '{code} ({name})',
  'transport.close.withReason': '{code} ({name}): {reason}',
  'transport.invalidFrame': 'Ignored a frame that is not valid: {data}',
  'transport.es.cannotOpen': 'Cannot open EventSource: {error}',
  'transport.es.gaveUp':
    'EventSource closed for good (readyState CLOSED): the server answered with an HTTP error such as 204, 404, 500 or 503, or with a content type other than text/event-stream. Browsers do not retry that by themselves.',
  'transport.fetch.requestFailed': 'The request failed: {error}.',
  'transport.fetch.contentType': 'The server answered {type}, not text/event-stream.',
  'transport.fetch.noContentType': 'no content type',
  'transport.fetch.noBody': 'The response has no body to read.',
  'transport.fetch.noContent': 'HTTP 204 No Content: the server has nothing more to send on this stream.',
  'transport.fetch.broke': 'The stream broke: {error}.',
  'transport.fetch.endedEarly': 'The response ended before the stream was complete.',
  'transport.fetch.providerError': 'The API sent an error event mid-answer (after its 200): {message}',
  'transport.fetch.noReconnect':
    '{message} fetch() does not reconnect by itself (LLM SDKs do not either); Reconnect resumes with Last-Event-ID.',
  'transport.ws.cannotOpen': 'Cannot open WebSocket: {error}',
  'transport.ws.badBinary': 'Ignored a binary message: {error}',
  'transport.ws.neither': 'Ignored a message that is neither text nor an ArrayBuffer.',
  'transport.ws.invalid': 'Ignored a message that is not valid: {data}',
  'transport.ws.server': 'Server: {error}',
  'transport.ws.fatalClose': 'The WebSocket closed with {close}; that does not get better by retrying.',
  'transport.ws.gaveUp': 'Gave up after {attempts} reconnect attempts; the last close was {close}.',
  'transport.poll.failed': 'Poll failed: {error}',
  // --- end transports ---

  // --- inspector ---
  'apis.tab': 'LLM APIs',
  'apis.title': 'The providers’ own streams',
  'apis.intro': 'With the LLM scenario, {select} points the fetch + SSE lane at POST /v1/chat/completions, /v1/responses or /v1/messages: the events a browser chat client of OpenAI or Anthropic receives, with the same answer as the other lanes. The lab’s page asks for its seq and t on each event (x-lab-stamps), which no provider sends; without them a client can measure time to first token and pace, not one-way latency or loss. Nobody resumes these streams: "Drop every N frames" ends the lane.',
  'apis.sdk.title': 'What the official SDKs do on each fault (openai 6, @anthropic-ai/sdk 1)',
  'apis.sdk.before': 'A 429 or 5xx before the first byte: both SDKs retry by themselves (maxRetries, default 2, waiting Retry-After), then throw RateLimitError / InternalServerError.',
  'apis.sdk.errorEvent': 'The provider’s error event after the 200: Chat Completions and Messages throw APIError (server_error, overloaded_error) after the text so far; the Responses stream helper throws nothing — it emits response.failed and finalResponse() returns its partial snapshot.',
  'apis.sdk.drop': 'A connection cut after the 200: the stream helper rejects with "terminated" (fetch’s own error, not an APIConnectionError); no SDK retries or resumes it — the app has to ask again.',
  'apis.sdk.stall': 'A stream that goes silent: no SDK times it out once the headers came (the timeout covers the wait for them); only the app’s own AbortSignal or idle timer ends it.',
  'apis.trap.title': 'The named-event trap',
  'apis.trap.explain': 'Anthropic names every event (event: content_block_delta, …). EventSource calls onmessage only for unnamed events, so a page that listens with onmessage alone receives nothing, without an error. Two EventSources read the same stream here, one each way.',
  'apis.trap.run': 'Read a named-event stream both ways',
  'apis.trap.running': 'Reading…',
  'apis.trap.received': '{count} events',
  'inspector.title': 'Handshake and wire inspector',
  'inspector.note.live':
    'What the live server received and answered when each stream of this run opened, and what it wrote for every frame. Nothing here is estimated.',
  'inspector.note.mock':
    'Mock mode: there is no HTTP exchange to record, so these heads are simulated from what the mock saw; byte counts are computed from the encoding, with no socket under them.',
  'inspector.empty': 'Start a run: the opening exchange of each stream appears here.',
  'inspector.loadError': 'Could not read the run log: {error}',
  'inspector.transport.sse': 'EventSource',
  'inspector.transport.fetch': 'fetch + SSE',
  'inspector.transport.ws': 'WebSocket',
  'inspector.handshakeOf': '{name} handshake',
  'inspector.simulated': 'simulated',
  'inspector.request': 'Request, as the server received it',
  'inspector.requestOf': '{name} request',
  'inspector.requestBody': 'Request body',
  'inspector.response': 'Response head, as the server wrote it',
  'inspector.responseOf': '{name} response',
  'inspector.accept.ok':
    'Sec-WebSocket-Accept is base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)) of the key above: recomputed in this page, {expected}.',
  'inspector.accept.bad': 'Sec-WebSocket-Accept does not match the key: this page computes {expected}.',
  'inspector.headBytes': 'Opening cost: {request} bytes of request head, {response} bytes of response head.',
  'inspector.wire.caption': 'Bytes per frame, as written by the sender',
  'inspector.wire.measure': 'Measure',
  'inspector.wire.streams': 'Connections',
  'inspector.wire.frames': 'Frames written',
  'inspector.wire.payload': 'Payload, bytes/frame',
  'inspector.wire.message': 'With protocol framing, bytes/frame',
  'inspector.wire.socket': 'Given to the TCP socket, bytes/frame',
  'inspector.wire.framingOverhead': 'Framing overhead',
  'inspector.wire.socketOverhead': 'Overhead on the socket',
  'inspector.wire.totalPayload': 'Payload, total bytes',
  'inspector.wire.totalSocket': 'Socket, total bytes',
  'inspector.wire.handshake': 'Handshake heads, total bytes',
  'inspector.how.payload':
    'Payload: the frame itself — the text after "data:" for SSE, the message body for WebSocket (raw bytes in the binary scenario, base64 text on SSE).',
  'inspector.how.message':
    'With framing: SSE adds its "id:", "event:" and "data:" field names, line ends and the blank line; WebSocket adds a 2-byte frame header (4 above 125 bytes, 10 above 64 KiB). Counted from the bytes the server encoded.',
  'inspector.how.socket':
    'On the socket: the change in the socket\'s bytesWritten around each frame\'s write. Over HTTP/1.1 that adds SSE\'s chunked transfer encoding (the length in hex and two line ends per write). Not measurable over HTTP/2, where streams share one socket.',
  'inspector.how.socketMock': 'On the socket: not measured in Mock mode (no socket).',
  'inspector.origin.title': 'Origin: CORS for SSE, nothing for WebSocket',
  'inspector.origin.explain':
    'Browsers apply CORS to EventSource and fetch, but not to WebSocket: any page can open a socket to any server, and only the Origin header tells the server who is asking. This server refuses upgrades from origins it does not allow (403). The button opens both kinds from this page to the same server under its other loopback name, which is a different origin.',
  'inspector.origin.run': 'Try both from a foreign origin',
  'inspector.origin.needsLive': 'This needs Live mode: a mocked socket has no Origin to check.',
  'inspector.origin.running': 'Connecting from {page} to {target}…',
  'inspector.origin.unavailable':
    'This page is served as {host}; the demo needs 127.0.0.1 or localhost to reach the same server under another name. The curl command below shows the same refusal.',
  'inspector.origin.pair': 'Page {page} → server {target}',
  'inspector.origin.ws': 'WebSocket — browser: {browser}; server: {server}',
  'inspector.origin.sse': 'EventSource — browser: {browser}; server: {server}, Access-Control-Allow-Origin: {acao}',
  'inspector.origin.opened': 'opened',
  'inspector.origin.blocked': 'blocked by CORS (error, readyState CLOSED)',
  'inspector.origin.closedCode': 'closed with {code} before opening, and no status (the API hides it)',
  'inspector.origin.noRecord': 'no record (the request did not arrive)',
  'inspector.origin.failed': 'failed before any answer (error, readyState CLOSED)',
  'inspector.origin.certHint':
    'The server has no record of a request: over https the browser may have refused the self-signed certificate for {target}. Open https://{target}/ once, accept the certificate, and try again.',
  'inspector.origin.noAcao': 'none sent',
  'inspector.origin.curl': 'The same from a terminal (no browser involved, so the Origin header is whatever you write):',
  // --- end inspector ---

  // --- conn-limit ---
  'limit.title': 'Connection limit',
  'limit.intro':
    'Open N EventSources and N WebSockets to this server at once, then send one ordinary fetch to it, and see which of them the browser lets through.',
  'limit.needsLive':
    'This demo needs Live mode. In Mock mode a service worker plays the streams inside the tab; they never take a network connection, so there is no limit to run into.',
  'limit.count': 'Streams of each kind',
  'limit.count.error': 'Enter a whole number from {min} to {max}.',
  'limit.open': 'Open',
  'limit.closeAll': 'Close all',
  'limit.protocol': 'Page protocol',
  'limit.protocol.unknown': 'not reported',
  'limit.sse': 'EventSource',
  'limit.ws': 'WebSocket',
  'limit.probe': 'fetch probe',
  'limit.counts': '{open} open · {pending} pending',
  'limit.counts.errors': '{open} open · {pending} pending · {errors} failed',
  'limit.probe.idle': 'not sent yet',
  'limit.probe.waiting': 'sent when the connections are steady',
  'limit.probe.pending': 'pending for {time}',
  'limit.probe.answered': 'answered in {time}',
  'limit.probe.failed': 'failed after {time}',
  'limit.probe.stillPending': 'still pending after {time}',
  'limit.cells.sse': 'EventSource connections',
  'limit.cells.ws': 'WebSocket connections',
  'limit.cell': '{kind} #{n}: {state}',
  'limit.cell.opened': '{kind} #{n}: open after {time}',
  'limit.state.pending': 'pending',
  'limit.state.open': 'open',
  'limit.state.error': 'failed',
  'limit.state.closed': 'closed',
  'limit.phase.opening': 'Opening {n} of each…',
  'limit.phase.probing': 'The connections are steady; the fetch probe is out…',
  'limit.phase.settled':
    'Result: {sseOpen} of {n} EventSources open, {ssePending} pending; {wsOpen} of {n} WebSockets open; fetch probe {probe}.',
  'limit.phase.closed': 'All EventSources and WebSockets closed.',
  'limit.error': 'Could not run the demo: {error}',
  'limit.explain.h1':
    'HTTP/1.1: the browser opens at most 6 connections per origin, and EventSource and fetch share them. Each open EventSource holds one for as long as it lives, so the 7th waits, and so does every other request to this server, the fetch probe included. WebSocket has a pool of its own and is not counted.',
  'limit.explain.h2':
    'HTTP/2: every request to this origin is a stream on one multiplexed connection, and the limit is the number of concurrent streams (about 100 by default), so every EventSource opens and the fetch answers at once. WebSockets still use HTTP/1.1 connections of their own.',
  'limit.explain.other':
    'This page came over {protocol}. Over HTTP/1.1 the browser allows 6 connections per origin, shared by EventSource and fetch but not WebSocket; over HTTP/2 they are streams on one connection, about 100 at a time.',
  'limit.tryH2': 'See the limit disappear: run {command} and open the https address it prints (the certificate is self-signed, so the browser asks you to accept it first).',
  // --- end conn-limit ---

  // --- claims ---
  'claims.title': 'Claims vs measured',
  'claims.note':
    'The usual "WebSocket vs SSE" answer, claim by claim, judged by numbers this page measured in this session. Each verdict is worked out from the measurement; press "Show me" to run the demo behind a row, or to run it again with other settings.',
  'claims.group.table': 'The usual comparison table',
  'claims.group.llm': 'Why LLM APIs stream with SSE, as usually told',
  'claims.head.claim': 'Claim',
  'claims.head.measured': 'Measured here',
  'claims.head.verdict': 'Verdict',
  'claims.head.why': 'Why',
  'claims.showMe': 'Show me',
  'claims.showMeNamed': 'Show me: {claim}',
  'claims.notYet': 'Not measured yet.',
  'claims.needsLive': 'Needs Live mode.',
  'claims.verdict.supported': 'Supported',
  'claims.verdict.refuted': 'Refuted',
  'claims.verdict.depends': 'It depends',
  'claims.probe.running': 'Measuring…',
  'claims.probe.memoryError': 'Memory probe failed: {error}',
  'claims.c.direction': 'Direction: WebSocket is two-way; SSE only goes from server to client.',
  'claims.c.protocol': 'Protocol: WebSocket is its own protocol (ws://, wss://); SSE is plain HTTP.',
  'claims.c.overhead': 'Connection overhead: WebSocket costs more; SSE costs less.',
  'claims.c.reconnect': 'Reconnecting: WebSocket needs code for it; SSE reconnects by itself.',
  'claims.c.format': 'Data: WebSocket carries text and binary; SSE only text.',
  'claims.c.connections': 'Connections: WebSocket is limited by the server; SSE allows more.',
  'claims.c.cors': 'Cross-origin: WebSocket needs special handling; SSE simply follows CORS.',
  'claims.c.llmOneWay': 'A model answer flows one way, so SSE is the natural fit.',
  'claims.c.llmMemory': 'SSE is lighter: it keeps no TCP connection state, so it uses less memory.',
  'claims.c.llmReliable': 'SSE is more reliable: it reconnects automatically.',
  'claims.c.llmPool': "SSE reuses HTTP's connection pool.",
  'claims.c.llmParse': 'SSE is cheaper to parse: there is no frame control.',
  'claims.m.direction':
    '{sent} messages sent during a stream. WebSocket: {wsAnswered} answered on its own socket, round trip {wsRtt}. SSE: {sseAnswered} answered via {requests} POST requests ({kib} KiB up), round trip {sseRtt}.',
  'claims.m.protocol': 'WebSocket opened with an HTTP {request} answered "{status}"; SSE answered "{sse}".',
  'claims.m.overhead':
    'Per {payload}-byte frame: SSE framing {sse} B ({ssePct}), WebSocket framing {ws} B ({wsPct}). Opening: SSE heads {sseHs} B, WebSocket heads {wsHs} B.',
  'claims.m.reconnect':
    'EventSource reconnected {es} times by itself (median downtime {esDown}, {esLost} frames lost); WebSocket {ws} times with the lab\'s backoff (median {wsDown}); fetch + SSE {fetch} times.',
  'claims.m.format': 'The same bytes per frame: WebSocket binary {ws} B, SSE base64 {sse} B (+{more}).',
  'claims.m.connections': 'Asked for {n} of each over {protocol}: {sse} EventSources opened, {ws} WebSockets opened; a same-origin fetch meanwhile: {probe}.',
  'claims.m.cors':
    'From a foreign origin: the WebSocket request reached the server, which answered "{ws}"; the SSE request was answered "{sse}" without Access-Control-Allow-Origin, and the browser withheld it.',
  'claims.m.corsAllowed':
    'From a foreign origin: the WebSocket request reached the server, which answered "{ws}"; the SSE request was answered "{sse}" with Access-Control-Allow-Origin: {acao}.',
  'claims.m.llmOneWay': 'Time to first token / tokens per second: {lanes}.',
  'claims.m.llmMemory': 'Server memory per open stream ({n} of each): SSE {sse} KiB, WebSocket {ws} KiB.',
  'claims.m.llmReliable':
    'After drops, fetch + SSE (how LLM SDKs read streams) reconnected {fetch} times and got {fetchFrames} frames; EventSource reconnected {es} times and got {esFrames}.',
  'claims.m.llmPool': 'Over {protocol}, {sse} of {n} EventSources got a connection; a fetch meanwhile: {probe}.',
  'claims.m.llmParse': 'Per {payload}-byte frame in this page: fetch + SSE {sse} µs (JavaScript parser + JSON), WebSocket {ws} µs (JSON only; the browser un-frames natively).',
  'claims.why.direction.depends':
    'One SSE stream is one-way, but a POST per message gives a working two-way chat — at {requests} extra requests and their headers, where WebSocket needed none.',
  'claims.why.direction.supported': 'The SSE lane could not carry every answer back; WebSocket did.',
  'claims.why.protocol.depends':
    'WebSocket starts as an HTTP/1.1 GET with Upgrade: websocket and leaves HTTP only after 101; through proxies and load balancers it still has to pass as HTTP first.',
  'claims.why.protocol.supported': 'No HTTP upgrade was seen in the handshake.',
  'claims.why.overhead.refuted':
    'Per frame, SSE spends {times}× the bytes WebSocket does on framing; both open with an HTTP exchange of similar size, so "WebSocket is heavier" does not hold for streams.',
  'claims.why.overhead.supported': 'In this run SSE framing cost no more than WebSocket framing.',
  'claims.why.reconnect.supported': 'EventSource came back by itself and resumed with Last-Event-ID, because the server honours the id.',
  'claims.why.reconnect.fetch':
    'EventSource did reconnect by itself, but fetch + SSE — what LLM SDKs use — did not: automatic reconnect is a feature of EventSource, not of SSE.',
  'claims.why.reconnect.gaveUp': 'EventSource gave up for good after an HTTP error: it only retries network failures.',
  'claims.why.reconnect.none': 'Nothing dropped in this run, so nothing was tested: run the demo with drops.',
  'claims.why.format.supported': 'SSE can only carry text; the same bytes in base64 cost {more} more.',
  'claims.why.format.refuted': 'The base64 cost did not show in this run.',
  'claims.why.connections.refuted':
    'Over HTTP/1.1 the browser allows 6 connections per origin, and only {sse} EventSources opened; WebSockets are outside that pool. SSE allows fewer, not more.',
  'claims.why.connections.depends': 'Over {protocol} every EventSource opened: HTTP/2 multiplexes streams over one connection, so the limit is the server\'s.',
  'claims.why.cors.depends':
    'SSE follows CORS: the browser withheld the response. WebSocket has no CORS at all: the browser sent the request anyway, and only the server\'s Origin check refused it. Without that check, any site could connect.',
  'claims.why.cors.open': 'The foreign-origin WebSocket opened: nothing in the browser stops it; the server must check Origin.',
  'claims.why.cors.other': 'The foreign-origin attempts did not behave as expected; see the inspector for what was recorded.',
  'claims.why.llmOneWay.supported':
    'True, and it cuts both ways: for a one-way token stream every transport delivered the same first token and the same pace. SSE wins on plumbing (plain HTTP, POST, auth headers), not on speed.',
  'claims.why.llmOneWay.depends': 'The lanes differed in this run; look at their latency before drawing a conclusion.',
  'claims.why.llmMemory.refuted':
    'Both hold one TCP connection per stream, with its state; SSE used {ratio}× the memory of a WebSocket here. "No TCP state" is wrong.',
  'claims.why.llmMemory.depends': 'SSE used {ratio}× the memory of a WebSocket here, though both still hold a TCP connection each.',
  'claims.why.llmReliable.refuted':
    'LLM SDKs read SSE with fetch (EventSource cannot POST or send headers), and fetch does not reconnect: an interrupted answer is lost unless the client resumes and the server supports it.',
  'claims.why.llmReliable.depends': 'fetch + SSE resumed here only because the lab told it to: that is application code, as with WebSocket.',
  'claims.why.llmPool.refuted':
    'Over HTTP/1.1 each open stream holds one of the 6 pooled connections for its whole life ({sse} opened); it takes from the pool rather than sharing it.',
  'claims.why.llmPool.supported': 'Over HTTP/2 the streams share one connection, so this holds there.',
  'claims.why.llmParse.refuted':
    'In the browser, SSE is parsed by JavaScript and cost {times}× the WebSocket path here, whose framing the browser handles natively. At LLM token rates both are negligible.',
  'claims.why.llmParse.supported': 'SSE parsing cost no more than the WebSocket path here.',
  // --- end claims ---

  // --- tour ---
  'tour.title': 'Guided tour',
  'tour.open': 'Guided tour',
  'tour.stepOf': 'Step {n} of {count}',
  'tour.run': "Run this step's demo",
  'tour.back': 'Back',
  'tour.next': 'Next',
  'tour.finish': 'Finish',
  'tour.exit': 'Exit tour',
  'tour.lookAt': 'Look at:',
  'tour.keys': 'Keys: ← and → (or Page Up and Page Down) move between steps; Esc leaves the tour.',
  'tour.needsLive':
    'This step needs Live mode: in Mock mode nothing crosses the network, so there are no sockets, origins or server memory to measure.',
  'tour.switchLive': 'Switch to Live and run',
  'tour.status.running': 'Running the demo…',
  'tour.status.done': 'Demo started. Its numbers appear where "Look at" points.',
  'tour.status.failed': 'The demo could not run: {error}',
  'tour.question.title': 'The question: why do LLM APIs stream over SSE and not WebSocket?',
  'tour.question.body':
    "Either one can push a model's answer to the page token by token. The usual answer gives a list of reasons to prefer SSE; this tour checks each of them on this server, in this browser. First the basic job: one answer streamed through EventSource, fetch + SSE (a POST read with fetch(), the way LLM SDKs do it) and WebSocket.",
  'tour.question.look':
    'the three lanes, TTFT and Tokens/s. For a one-way token stream they come out nearly the same: the transport is not what makes an answer fast.',
  'tour.handshake.title': 'How each connection opens',
  'tour.handshake.body':
    'Both begin as an HTTP request. The WebSocket sends a GET with Upgrade: websocket and a random Sec-WebSocket-Key; the server answers 101 Switching Protocols with Sec-WebSocket-Accept, and after that the connection carries WebSocket frames, not HTTP. An SSE stream is an ordinary request answered 200 with Content-Type: text/event-stream and a body that does not end.',
  'tour.handshake.look':
    'the Handshake and wire inspector: "101 Switching Protocols" in the WebSocket response, the ✓ under it (this page recomputed Sec-WebSocket-Accept from the key), the 200 and text/event-stream of the two SSE lanes, and how many bytes each opening cost.',
  'tour.overhead.title': 'Bytes per message',
  'tour.overhead.body':
    'The usual answer says SSE has less overhead. Per message it is the other way round: every SSE event needs at least "data: " and a blank line, here plus an "id:" line, while a WebSocket frame from the server has a 2-byte header for a short message. This run sends 200 small frames, so the framing is easy to see.',
  'tour.overhead.look':
    'the inspector\'s "Bytes per frame" table, rows "With protocol framing" and "Framing overhead" for each transport. In Live mode, "Overhead on the socket" adds HTTP/1.1 chunked encoding to the SSE columns.',
  'tour.binary.title': 'Binary data',
  'tour.binary.body':
    'WebSocket has binary messages. SSE is text only, so bytes have to be encoded, usually as base64, which makes them a third larger. This run sends the same 1 KiB of random bytes per frame in every lane.',
  'tour.binary.look':
    'the inspector table, row "Payload, bytes/frame": the SSE columns are about 4/3 of the WebSocket one. That matters for audio or images, not for text tokens.',
  'tour.reconnect.title': 'Reconnecting',
  'tour.reconnect.body':
    'Here the server drops every connection 2 s after it opens. EventSource reconnects by itself after the server\'s retry: time and sends Last-Event-ID, so a server that honours it can carry on where it stopped (on an HTTP error it gives up for good). fetch + SSE, which is what LLM SDKs use, does not reconnect at all. WebSocket reconnects only because this lab has code for it: backoff and a resume point.',
  'tour.reconnect.look':
    'each lane\'s Reconnects, Downtime and Lost / dup / reordered, and the line under it that says who reconnects. EventSource and WebSocket carry on with nothing lost; fetch + SSE stops with an error and a Reconnect button.',
  'tour.chat.title': 'Talking back',
  'tour.chat.body':
    'A chat goes both ways: the user sends while the answer streams. WebSocket sends on the socket it already has. An SSE stream only flows down, so every user message is a separate POST /api/chat, and its answer comes back on the stream. This run sends 10 messages.',
  'tour.chat.look':
    'each lane\'s Answered, Chat RTT and "Upstream: connections / requests / bytes". The round trips are about equal; the SSE lanes pay a whole HTTP request per message where WebSocket sends a few bytes.',
  'tour.limit.title': 'How many streams a browser allows',
  'tour.limit.body':
    'Over HTTP/1.1 a browser keeps at most 6 connections per origin, and every open EventSource or fetch stream holds one for as long as it lasts. WebSockets are counted apart. This demo opens 8 of each, then sends one ordinary fetch to the same server.',
  'tour.limit.look':
    'the Connection limit panel: 6 of 8 EventSources open and 2 pending, 8 of 8 WebSockets open, and the fetch probe still waiting: the rest of the page is stuck behind the streams. Over HTTP/2 (npm run start:h2) all 8 open. Leaving this step closes them all.',
  'tour.origin.title': 'Cross-origin: CORS and Origin',
  'tour.origin.body':
    "Browsers apply CORS to EventSource and fetch, but not to WebSocket: any page may open a socket to any server, and the browser only adds an Origin header. Checking it is the server's job; a server that does not is open to cross-site WebSocket hijacking. This demo connects from this page to the same server under another name, which is a different origin.",
  'tour.origin.look':
    'the inspector\'s Origin section: the WebSocket reached the server and was refused with 403 by its Origin check; the EventSource was answered 200 by the server, and the browser itself kept it from the page (no Access-Control-Allow-Origin).',
  'tour.memory.title': 'Memory per connection',
  'tour.memory.body':
    'A common claim: SSE is lighter because it keeps no TCP connection state. It does: each stream, SSE or WebSocket, holds one TCP connection open for as long as it runs. Here the server opens 200 SSE streams and 200 WebSockets from a helper process and compares its memory with and without them.',
  'tour.memory.look':
    'the claims table, the memory row: kilobytes of server memory per open stream, SSE and WebSocket, both well above zero; its verdict says which was lighter on this server and by how much. Each is a socket with its buffers plus some state of its own; neither gets to skip the TCP state.',
  'tour.verdict.title': 'The verdicts',
  'tour.verdict.body':
    'One last measurement, parsing: this page parses the same frames the way fetch + SSE gets them (bytes, text, events, JSON) and the way WebSocket does (the browser has already taken the frames apart; only JSON is left).',
  'tour.verdict.body2':
    'So why SSE for LLM APIs? An answer is one request whose response streams back: a POST with a JSON body and an Authorization header, read with fetch(), fits plain HTTP, with its proxies, load balancers, auth and logs, and there is no connection state to keep between requests. WebSocket wins where both sides keep talking: realtime voice, collaboration, agents trading many messages. That is where realtime APIs use WebSocket or WebRTC.',
  'tour.verdict.look':
    'the claims table: each claim with the number this session measured and its verdict. A step you skipped shows as not measured yet; run it from its row.',
  // --- end tour ---

  // --- run-file ---
  'runs.title': 'Runs',
  'runs.intro':
    'Keep a run: save the run on the page as one file, and open saved runs. A run file shows exactly as it was recorded, alone or beside another run.',
  'load.heading': 'Load test on a real engine',
  'load.explain': 'One browser measures one client. To see how a server holds thousands, export this scenario as an Artillery script (its processor reads SSE with a real parser and reports latency, lost and duplicated frames) or a k6 script (k6/websockets, xk6-sse), or run it with the command below.',
  'load.clients': 'Clients',
  'load.duration': 'Seconds',
  'load.target': 'Target',
  'load.artillery': 'Artillery script',
  'load.k6': 'k6 script',
  'load.noScenario': 'Fix the scenario’s parameters first.',
  'runs.export.heading': 'Export',
  'runs.export.of': 'Saves the run on the page: {run}.',
  'runs.export.none': 'Nothing to save yet: start a run, or open a run file.',
  'runs.export.json': 'Run file (JSON)',
  'runs.export.csv': 'CSV: {lane}',
  'runs.export.png': 'Charts (PNG)',
  'runs.export.svg': 'Charts (SVG)',
  'runs.export.saved': 'Saved {file}.',
  'runs.export.failed': 'Could not export: {error}',
  'runs.import.heading': 'Import',
  'runs.import.label': 'Open a run file',
  'runs.import.drop': 'Or drop a run file anywhere on the page.',
  'runs.import.opened': 'Opened {file}.',
  'runs.import.refused': 'Could not open {file}: {reason}',
  'runs.drop.overlay': 'Drop a run file to open it',
  'runs.open.heading': 'Open run files',
  'runs.open.none': 'No run file is open.',
  'runs.open.show': 'Show on the page',
  'runs.open.shown': 'On the page',
  'runs.open.close': 'Close',
  'runs.open.closeLabel': 'Close {file}',
  'runs.current': 'The current run',
  'runs.current.none': 'The current run (none yet)',
  'runs.recorded.label': 'Recorded run: {file}',
  'runs.recorded.meta': 'recorded {date} · {scenario} · {mode} · {browser} · lab {version} · {protocol}',
  'runs.recorded.partial': 'only the first {kept} of {seen} frames are in the file (a lane keeps at most {max}); the numbers are the ones the page showed.',
  'runs.recorded.back': 'Back to the current run',
  'runs.compare.heading': 'Side by side',
  'runs.compare.left': 'Left',
  'runs.compare.right': 'Right',
  'runs.compare.numbers': 'Numbers of {run}',
  'runs.compare.empty': 'Open a run file to see it beside the current run or beside another file.',
  'runFile.error.tooLarge': 'the file is {size} MiB; a run file may be at most {max} MiB.',
  'runFile.error.notJson': 'it is not valid JSON (damaged, or cut short).',
  'runFile.error.tooDeep': 'its JSON nests deeper than {depth} levels.',
  'runFile.error.foreign': 'it is not a run file of this lab (format "{format}"; a run file says "{expected}").',
  'runFile.error.newer': 'a newer lab wrote it (format version {version}); this page reads versions up to {supported}.',
  'runFile.error.damaged': 'it is damaged: {path} should be {expected}.',
  'runFile.error.inconsistent':
    'it is damaged: the frames recorded for the {lane} lane do not give the numbers the file says it showed ({path} differs).',
  'runFile.error.unreadable': 'the browser could not read it ({error}).',
  // --- end run-file ---
  // --- backpressure (issue 13) ---
  'lanes.title.websocket-stream': 'WebSocketStream',
  'lanes.subtitle.websocket-stream': 'WS · /api/ws · read from a stream only when the page is free: TCP pushes back',
  'setting.slowMs.label': 'Slow consumer',
  'setting.slowMs.description':
    'The page spends this long on every frame before it takes the next one, in every lane (0: as fast as it can).',
  'transport.wss.unsupported': 'This browser has no WebSocketStream (Chromium has it since version 124).',
  'transport.wss.needsLive':
    'WebSocketStream needs Live mode: the mock (MSW) stands in for WebSocket only, so this lane would go past it.',
  'transport.wss.broke': 'The WebSocketStream failed: {error}',
  'lanes.pageQueue': 'Page queue',
  'lanes.pageQueue.title':
    'Frames received but not yet handled by the slow page: now / most. WebSocket and EventSource deliver regardless; WebSocketStream and fetch read only when the page is free. With the slow consumer, latency runs to when the page got to the frame, this queue included.',
  'lanes.senderPaused': 'Sender paused',
  'lanes.senderPaused.title':
    'From the server’s run log: how long its sender waited for this lane’s connection to drain (backpressure), and how often',
  'lanes.senderPaused.value': '{ms} ({n}×)',
  'lanes.senderBuffered': 'Sender buffer, max',
  'lanes.senderBuffered.title':
    'From the server’s run log: the most bytes it held for this lane’s connection (ws.bufferedAmount, res.writableLength)',
  // --- end backpressure ---
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
