/**
 * Shared by the lab server tests (lab-server*.test.ts): an SSE stream read to its end, and a
 * WebSocket upgrade the server must refuse.
 */
import { SseStream, wsAttempt } from './test-support.ts';

/** Opens an SSE stream and reads it to its end. */
export async function readSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await SseStream.open(url, headers);
  await stream.finished;
  return stream;
}

/** Opens a WebSocket that the server must refuse; resolves with the HTTP status and JSON body. */
export async function wsRejection(url: string): Promise<{ status: number; contentType: string; body: unknown }> {
  const attempt = await wsAttempt(url);
  if (attempt.kind !== 'refused') throw new Error(`${url} was not refused: ${JSON.stringify(attempt)}`);
  return { status: attempt.status, contentType: attempt.contentType, body: JSON.parse(attempt.body) as unknown };
}
