import { describe, expect, it } from 'vitest';
import { frameHeaderBytes, websocketAccept } from './websocket-wire.ts';

describe('WebSocket wire', () => {
  it('computes the accept value of RFC 6455 §1.3', async () => {
    expect(await websocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('sizes frame headers by payload length, plus 4 mask bytes from a client', () => {
    expect([0, 125, 126, 65_535, 65_536].map((n) => frameHeaderBytes(n))).toEqual([2, 2, 4, 4, 10]);
    expect(frameHeaderBytes(10, true)).toBe(6);
  });
});
