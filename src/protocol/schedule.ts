/**
 * The scenario engine: a scenario and its parameters become a deterministic sequence of planned
 * frames. Pure: no clock, no timers, no I/O. The player (player.ts) gives it time.
 */
import type { FrameKind } from './frame';
import { createRandom, type Random } from './random';
import type { ScenarioConfig } from './scenarios';

export interface PlannedFrame {
  seq: number;
  /** Wait before this frame, measured from the previous one (for the first frame played: from the start). */
  gapMs: number;
  kind: FrameKind;
  data: string;
}

export type Schedule = Iterator<PlannedFrame, undefined>;

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function filler(size: number, random: Random): string {
  let s = '';
  for (let i = 0; i < size; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

function* ticker(p: Record<string, number>): Generator<PlannedFrame, undefined> {
  const data = filler(p.size, createRandom(p.seed));
  const gapMs = 1000 / p.rate;
  for (let seq = 1; p.count === 0 || seq <= p.count; seq++) {
    yield { seq, gapMs, kind: 'tick', data };
  }
  return undefined;
}

function* burst(p: Record<string, number>): Generator<PlannedFrame, undefined> {
  const data = filler(p.size, createRandom(p.seed));
  for (let seq = 1; p.count === 0 || seq <= p.count; seq++) {
    const index = (seq - 1) % p.burst;
    const gapMs = index !== 0 ? 0 : seq === 1 ? 0 : p.interval;
    yield { seq, gapMs, kind: 'tick', data };
  }
  return undefined;
}

// A small vocabulary is enough to look like an answer and to make the seed visible.
const openers = ['Short answer:', 'In practice,', 'It depends, but', 'Here is the gist:'];
const words = (
  'the server streams tokens over one long HTTP response while the client reads each event as it ' +
  'arrives and the connection stays open until the model is done so a WebSocket would add a ' +
  'handshake framing and state that a one way answer does not need yet an agent that talks back ' +
  'needs both directions and that is where a socket earns its keep because every reconnect costs ' +
  'a round trip and a resume needs the last id the browser kept for you'
).split(' ');

function normal(random: Random): number {
  // Box-Muller; 1 - u keeps log() away from 0.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function* llm(p: Record<string, number>): Generator<PlannedFrame, undefined> {
  const random = createRandom(p.seed);
  const mean = 1000 / p.tps;
  const sigma = 0.6;
  const first = openers[Math.floor(random() * openers.length)];
  let sentence = 0;
  for (let seq = 1; seq <= p.tokens; seq++) {
    let token: string;
    if (seq === 1) {
      token = first;
    } else if (sentence > 6 && random() < 0.12) {
      token = random() < 0.8 ? '.' : ',';
      sentence = token === '.' ? -1 : sentence;
    } else {
      const word = words[Math.floor(random() * words.length)];
      token = sentence === -1 ? ` ${word[0].toUpperCase()}${word.slice(1)}` : ` ${word}`;
      sentence = sentence === -1 ? 1 : sentence + 1;
    }
    // Log-normal gaps around the mean, and now and then a stall of a few gaps.
    let gapMs = mean * Math.exp(sigma * normal(random) - (sigma * sigma) / 2);
    if (random() < 0.03) gapMs += mean * (3 + random() * 5);
    if (seq === 1) gapMs = p.ttft;
    yield { seq, gapMs, kind: 'token', data: token };
  }
  yield { seq: p.tokens + 1, gapMs: mean, kind: 'end', data: '' };
  return undefined;
}

/** Total frames the scenario sends, or null when it runs until stopped. */
export function plannedTotal(config: ScenarioConfig): number | null {
  const p = config.params;
  if (config.scenario === 'llm') return p.tokens + 1;
  return p.count === 0 ? null : p.count;
}

/**
 * The frames of a scenario, starting after `afterSeq` (0 = from the beginning). Frames before the
 * resume point are generated and dropped, so a resumed stream carries the same payloads.
 */
export function createSchedule(config: ScenarioConfig, afterSeq = 0): Schedule {
  const source =
    config.scenario === 'ticker'
      ? ticker(config.params)
      : config.scenario === 'llm'
        ? llm(config.params)
        : burst(config.params);
  let skipped = 0;
  while (skipped < afterSeq) {
    const next = source.next();
    if (next.done) break;
    skipped++;
  }
  return source;
}
