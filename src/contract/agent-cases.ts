/**
 * Contract rows for the agent loop (src/backend/agent.ts): a fetch + SSE turn per POST /api/agent in
 * both variants, the step that ends in a tool call on every transport, and the refusals. Seed 7, two
 * tokens per step, no think time: step 1 is seqs 1–3 (two tokens and the tool call), step 2 seqs 4–6.
 */
import { expect } from 'vitest';
import { AGENT_TASK, toolCallData, toolResultContent } from '../protocol/agent.ts';
import type { ContractCase, WireEvent } from './cases.ts';

const anyString = expect.any(String) as unknown;
const PARAMS = { turns: 2, tokens: 2, ttft: 0, tool: 0, result: 16, sessionLoadMs: 0, seed: 7 };
const QUERY = 'scenario=agent&turns=2&tokens=2&ttft=0&tool=0&result=16&sessionLoadMs=0&seed=7';
const frame = (seq: number, kind: string, data: unknown, id = true): WireEvent => ({
  ...(id ? { id: String(seq) } : {}),
  data: { type: 'frame', seq, kind, data },
});
const done = (total: number): WireEvent => ({ event: 'done', data: { type: 'done', total } });
const step1 = [frame(1, 'token', anyString), frame(2, 'token', anyString), frame(3, 'tool', toolCallData(PARAMS, 1))];
const post = (body: unknown) => ({ method: 'POST', path: '/api/agent', body });
const conversation1 = [
  { role: 'user', content: AGENT_TASK },
  { role: 'assistant', content: 'the step text', tool_call: toolCallData(PARAMS, 1) },
  { role: 'tool', turn: 1, content: toolResultContent(PARAMS, 1) },
];

export const agentCases: ContractCase[] = [
  {
    name: 'POST /api/agent stateless, turn 0: step 1 up to its tool call, then done',
    endpoint: 'agent',
    request: post({ variant: 'stateless', params: PARAMS, run: 'ag1', messages: conversation1.slice(0, 1) }),
    expect: { status: 200, type: 'sse', retry: 1000, headers: { 'x-lab-agent-turn': '0' }, events: [...step1, done(3)] },
  },
  {
    name: 'POST /api/agent stateless, the conversation after turn 1: step 2 only',
    endpoint: 'agent',
    request: post({ variant: 'stateless', params: PARAMS, run: 'ag1', messages: conversation1 }),
    expect: {
      status: 200,
      type: 'sse',
      headers: { 'x-lab-agent-turn': '1' },
      events: [frame(4, 'token', anyString), frame(5, 'token', anyString), frame(6, 'tool', toolCallData(PARAMS, 2)), done(6)],
    },
  },
  {
    name: 'POST /api/agent previous, first turn: a session and its response id',
    endpoint: 'agent',
    request: post({ variant: 'previous', params: PARAMS, run: 'ag2' }),
    expect: { status: 200, type: 'sse', headers: { 'x-lab-response-id': /^resp_[0-9a-f]{32}$/ }, events: [...step1, done(3)] },
  },
  {
    name: 'POST /api/agent previous with an unknown id: 404 naming the limits',
    endpoint: 'agent',
    request: post({
      variant: 'previous',
      params: PARAMS,
      run: 'ag2',
      previous_response_id: 'resp_nope',
      input: { type: 'tool_result', turn: 1, t: 1, content: 'x' },
    }),
    expect: { status: 404, type: 'json', error: /^previous_response_id "resp_nope" is unknown, expired or already continued/ },
  },
  {
    name: 'POST /api/agent without a variant: 400',
    endpoint: 'agent',
    request: post({ params: PARAMS }),
    expect: { status: 400, type: 'json', error: 'variant must be "stateless" or "previous"; got null' },
  },
  {
    name: 'POST /api/agent stateless answering turn 2 before turn 1: 400',
    endpoint: 'agent',
    request: post({
      variant: 'stateless',
      params: PARAMS,
      messages: [conversation1[0], conversation1[1], { role: 'tool', turn: 2, content: 'x' }],
    }),
    expect: { status: 400, type: 'json', error: 'messages[2] must answer turn 1; got 2' },
  },
  {
    name: 'POST /api/stream scenario=agent: 400, turns go to POST /api/agent',
    endpoint: 'agent',
    request: { method: 'POST', path: '/api/stream', body: { scenario: 'agent', params: PARAMS } },
    expect: { status: 400, type: 'json', error: 'an agent loop over fetch takes one POST /api/agent per turn' },
  },
  {
    name: 'GET /api/sse agent: step 1, then the stream holds at the tool call',
    endpoint: 'agent',
    request: { path: `/api/sse?${QUERY}`, headers: { accept: 'text/event-stream' } },
    expect: { status: 200, type: 'sse', retry: 1000, events: step1 },
  },
  {
    name: 'WebSocket /api/ws agent: step 1 up to the tool call',
    endpoint: 'agent',
    request: { path: `/api/ws?${QUERY}` },
    expect: { status: 101, ws: { messages: step1.map((e) => ({ data: e.data })) } },
  },
  {
    name: 'GET /api/poll agent: 400, polling cannot answer a tool call',
    endpoint: 'agent',
    request: { path: `/api/poll?${QUERY}&run=ag3` },
    expect: {
      status: 400,
      type: 'json',
      error: 'scenario=agent needs a lane that answers tool calls (EventSource, fetch + SSE, WebSocket); polling cannot',
    },
  },
  {
    name: 'POST /api/chat tool_result with no agent stream open: 404',
    endpoint: 'agent',
    request: { method: 'POST', path: '/api/chat', body: { type: 'tool_result', run: 'ag-none', transport: 'sse', turn: 1, t: 1, content: 'x' } },
    expect: { status: 404, type: 'json', error: 'no open sse agent stream for run "ag-none"' },
  },
  {
    name: 'POST /api/chat tool_result for fetch: 400, fetch sends its turns to /api/agent',
    endpoint: 'agent',
    request: { method: 'POST', path: '/api/chat', body: { type: 'tool_result', run: 'ag1', transport: 'fetch', turn: 1, t: 1, content: 'x' } },
    expect: { status: 400, type: 'json', error: /^tool results on \/api\/chat are for transport "sse"/ },
  },
];
