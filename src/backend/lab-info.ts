/** GET /api/info: what the backend serves, its defaults and every limit it enforces. */
import { LIMITS } from '../protocol/limits.ts';
import type { ScenarioSpec } from '../protocol/scenarios.ts';
import { streamOptionSpecs } from '../protocol/stream-options.ts';
import { LEGACY_VERSION, MCP_PATHS, STREAMABLE_VERSIONS } from './mcp-http.ts';
import { API } from './routes.ts';

export interface LabInfoInput {
  name?: string;
  version: string;
  retryMs: number;
  heartbeatMs: number;
  authRequired: boolean;
  catalogue: { scenarios: readonly ScenarioSpec[] };
}

export function labInfo({ name = 'sse-vs-websocket-lab', version, retryMs, heartbeatMs, authRequired, catalogue }: LabInfoInput) {
  return {
    name,
    version,
    retryMs,
    heartbeatMs,
    streamOptions: streamOptionSpecs,
    auth: { required: authRequired },
    // Every limit the server enforces, what a client sees past it (README: "Limits and security").
    limits: LIMITS,
    endpoints: {
      sse: `GET ${API.sse}?scenario=…&<params>`,
      ws: `GET ${API.ws}?scenario=…&<params> (WebSocket)`,
      info: `GET ${API.info}`,
      stats: `GET ${API.stats}`,
      runs: `GET ${API.runs}?run=<id>[&from=<record id>] (each stream of a run: its handshake, bytes written per frame, when it stopped and why)`,
      memory: `GET ${API.memory}?n=200 (server memory per open SSE stream and per WebSocket, measured now)`,
      poll: `GET ${API.poll}?scenario=…&after=N&wait=ms (wait=0: short poll; wait>0: long poll)`,
      chat: `POST ${API.chat} {"run","transport":"sse"|"fetch","id","t","text"} → a reply event on that stream`,
      stream: `POST ${API.stream} {"scenario":…,"params":{…}} or {"messages":[…]} → text/event-stream`,
      faults: `POST ${API.faults} {"action":"drop"|"outage"|"http-error"|"clear",…}`,
      auth: `POST ${API.auth} {"token":"…"|null}`,
      mcp: `POST|GET|DELETE ${MCP_PATHS.mcp} (MCP Streamable HTTP, revisions ${STREAMABLE_VERSIONS.join(', ')}; tools count and echo; ?drop=N cuts each SSE connection after N messages)`,
      mcpSse: `GET ${MCP_PATHS.sse}, then POST ${MCP_PATHS.messages}?sessionId=… (MCP HTTP+SSE, revision ${LEGACY_VERSION}, deprecated)`,
    },
    ...catalogue,
  };
}
