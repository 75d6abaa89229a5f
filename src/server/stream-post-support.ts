/**
 * Shared by the POST /api/stream tests (stream-post*.test.ts): the request bodies they send and
 * small clients for a POST event stream and for the JSON answers (errors, /api/auth).
 */
import { expect } from 'vitest';
import type { Frame } from '../protocol/frame.ts';
import { SseStream } from './test-support.ts';

export const TICKER_BODY = { scenario: 'ticker', params: { rate: 1000, count: 30, size: 16 } };
export const ENDLESS = { scenario: 'ticker', params: { rate: 200, count: 0 } };
export const LLM_PARAMS = { tokens: 20, ttft: 0, tps: 1000 };

/** POSTs a body to /api/stream and reads the event stream to its end (it must answer 200). */
export async function readPost(url: string, body: unknown, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await SseStream.post(url, body, headers);
  expect(stream.response.status).toBe(200);
  await stream.finished;
  return stream;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A request whose answer is JSON (an error, or /api/auth). */
export async function requestJson(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  expect(res.headers.get('content-type'), text).toMatch(/^application\/json/);
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as unknown };
}

/** POST with a raw body (a string is sent as it is, anything else as JSON). */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return requestJson(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The status POST /api/stream answers (its body read to the end). */
export async function streamStatus(http: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${http}/api/stream`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

/** The data of the token frames. */
export const tokens = (frames: readonly Frame[]) => frames.filter((f) => f.kind === 'token').map((f) => f.data);
