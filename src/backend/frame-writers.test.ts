import { describe, expect, it } from 'vitest';
import { decodeBinaryFrame } from '../protocol/binary-frame.ts';
import type { Frame } from '../protocol/frame.ts';
import { sseDoneEvent, sseFrameWriter, sseReplyEvent, wsFrameMessage } from './frame-writers.ts';

const token = (seq: number, data: string): Frame => ({ type: 'frame', seq, t: 1.5, kind: 'token', data });

describe('SSE frame writer', () => {
  it('lab: one event per frame with its id; bytes as UTF-8 (what Buffer.byteLength says)', () => {
    const write = sseFrameWriter('lab');
    const out = write(token(1, 'héllo 😀'));
    expect(out.payload).toMatch(/^id: 1\n/);
    expect(out.messageBytes).toBe(Buffer.byteLength(out.payload));
    const data = out.payload.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
    expect(out.payloadBytes).toBe(data.reduce((sum, d) => sum + Buffer.byteLength(d), 0));
  });

  it('anthropic: the first frame of a connection opens the message, later ones do not', () => {
    const write = sseFrameWriter('anthropic');
    const first = write(token(1, 'a'));
    const second = write(token(2, 'b'));
    expect(first.payload).toContain('event: message_start');
    expect(second.payload).not.toContain('event: message_start');
    expect(second.messageBytes).toBe(Buffer.byteLength(second.payload));
    // A new connection (a new writer) opens it again.
    expect(sseFrameWriter('anthropic')(token(3, 'c')).payload).toContain('event: message_start');
  });

  it('done only in the lab format; reply as a named event', () => {
    expect(sseDoneEvent(5, 'lab')).toBe('event: done\ndata: {"type":"done","total":5}\n\n');
    expect(sseDoneEvent(5, 'openai')).toBeNull();
    expect(sseReplyEvent({ type: 'reply', id: 'm', t: 1, serverT: 2, text: 'x' })).toMatch(/^event: reply\ndata: \{"type":"reply"/);
  });
});

describe('WebSocket frame message', () => {
  it('JSON text, with the frame header counted', () => {
    const frame = token(3, 'x'.repeat(200));
    const out = wsFrameMessage(frame);
    expect(out.payload).toBe(JSON.stringify(frame));
    expect(out.payloadBytes).toBe(Buffer.byteLength(JSON.stringify(frame)));
    expect(out.messageBytes).toBe(out.payloadBytes + 4);
  });

  it('bytes frames as one binary message', () => {
    const frame: Frame = { type: 'frame', seq: 2, t: 3, kind: 'bytes', data: Buffer.from([1, 2, 3]).toString('base64') };
    const out = wsFrameMessage(frame);
    expect(out.payload).toBeInstanceOf(Uint8Array);
    expect(decodeBinaryFrame(out.payload as Uint8Array)).toEqual({ ok: true, frame });
    expect(out.messageBytes).toBe(out.payloadBytes + 2);
  });
});
