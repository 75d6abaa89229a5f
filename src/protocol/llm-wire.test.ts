import { describe, expect, it } from 'vitest';
import type { Frame } from './frame.ts';
import { decodeWire, encodeWire, parseWireFormat, wireFormats } from './llm-wire.ts';

const token = (seq: number, data: string): Frame => ({ type: 'frame', seq, t: 1_000 + seq + 0.25, kind: 'token', data });
const end = (seq: number): Frame => ({ type: 'frame', seq, t: 2_000.5, kind: 'end', data: '' });

function roundTrip(frames: Frame[], format: (typeof wireFormats)[number]) {
  const out: ReturnType<typeof decodeWire>[] = [];
  frames.forEach((frame, i) => {
    for (const event of encodeWire(frame, format, i === 0)) out.push(decodeWire(event.event ?? 'message', event.data));
  });
  return out;
}

describe('llm wire formats', () => {
  const frames = [token(1, 'Hello'), token(2, ', "world"\n'), end(3)];

  it.each(wireFormats)('%s: every frame comes back as it went, seq and t included', (format) => {
    const decoded = roundTrip(frames, format).filter((m) => m.kind === 'frame');
    expect(decoded).toEqual(frames.map((frame) => ({ kind: 'frame', frame })));
  });

  it('anthropic: named events, preamble once per connection, message_stop last', () => {
    const names = frames.flatMap((f, i) => encodeWire(f, 'anthropic', i === 0).map((e) => e.event));
    expect(names).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    // Only frame-carrying events have an id: a resume continues after the last token.
    const ids = frames.flatMap((f, i) => encodeWire(f, 'anthropic', i === 0).map((e) => e.id));
    expect(ids).toEqual([undefined, undefined, '1', '2', undefined, undefined, '3']);
  });

  it('openai: unnamed chunks, the end as finish_reason "stop", then data: [DONE]', () => {
    const events = frames.flatMap((f, i) => encodeWire(f, 'openai', i === 0));
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(events.at(-1)).toEqual({ data: '[DONE]' });
    expect(JSON.parse(events[0].data)).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }],
    });
    expect(decodeWire('message', '[DONE]')).toEqual({ kind: 'done' });
  });

  it('decodes events without frames as "other" and garbage as "invalid", without throwing', () => {
    expect(decodeWire('message_start', '{"type":"message_start","message":{}}')).toEqual({ kind: 'other' });
    expect(decodeWire('message', 'not json')).toEqual({ kind: 'invalid' });
    expect(decodeWire('message', '[1,2]')).toEqual({ kind: 'invalid' });
    expect(decodeWire('content_block_delta', '{"type":"content_block_delta","delta":{"text":"x"}}')).toEqual({ kind: 'invalid' });
    expect(decodeWire('message', '{"object":"chat.completion.chunk","choices":[],"seq":1,"t":1}')).toEqual({ kind: 'invalid' });
  });

  it('parses the format parameter and names the choices when it is wrong', () => {
    expect(parseWireFormat(undefined)).toEqual({ ok: true, value: 'lab' });
    expect(parseWireFormat('openai')).toEqual({ ok: true, value: 'openai' });
    const bad = parseWireFormat('grpc');
    expect(bad.ok ? '' : bad.error).toBe('format must be "lab", "anthropic" or "openai"; got "grpc"');
  });
});
