/**
 * The scenario engine: a scenario and its parameters become a deterministic sequence of planned
 * frames. Pure: no clock, no timers, no I/O. The player (player.ts) gives it time.
 */
import type { FrameKind } from './frame.ts';
import { createRandom, type Random } from './random.ts';
import type { ScenarioConfig } from './scenarios.ts';
import { toBase64 } from './binary-frame.ts';
import { agentTotal, stepFrames, toolCallData } from './agent.ts';

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

/** Frames at a steady pace, all with the same payload: `ticker` (text) and `binary` (bytes). */
function* steady(p: Record<string, number>, first: number, kind: FrameKind, data: string): Generator<PlannedFrame, undefined> {
  const gapMs = 1000 / p.rate;
  for (let seq = first; p.count === 0 || seq <= p.count; seq++) {
    yield { seq, gapMs, kind, data };
  }
  return undefined;
}

function ticker(p: Record<string, number>, first = 1): Schedule {
  return steady(p, first, 'tick', filler(p.size, createRandom(p.seed)));
}

function randomBytesBase64(size: number, random: Random): string {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  return toBase64(bytes);
}

function binary(p: Record<string, number>, first = 1): Schedule {
  return steady(p, first, 'bytes', randomBytesBase64(p.size, createRandom(p.seed)));
}

function* burst(p: Record<string, number>, first = 1): Generator<PlannedFrame, undefined> {
  const data = filler(p.size, createRandom(p.seed));
  for (let seq = first; p.count === 0 || seq <= p.count; seq++) {
    const index = (seq - 1) % p.burst;
    const gapMs = index !== 0 ? 0 : seq === 1 ? 0 : p.interval;
    yield { seq, gapMs, kind: 'tick', data };
  }
  return undefined;
}

// The "model" answers with sentences from this list, in an order the seed picks, split into
// word-sized tokens. Enough to read like an answer and to make the seed visible.
const sentences = [
  'Most chat APIs stream the answer as Server-Sent Events on one long HTTP response.',
  'The answer only flows one way, so a plain response body is all the transport it needs.',
  'It rides on ordinary HTTP, so proxies, load balancers, auth headers and logs keep working.',
  'Both transports hold one TCP connection per stream; neither is free of connection state.',
  'A WebSocket earns its keep when the client talks back while the server is still speaking.',
  'Voice and agent loops send audio, tool results and interruptions both ways, so they use sockets.',
  'EventSource reconnects by itself and sends the last event id, but only over GET with no custom headers.',
  'That is why real SDKs read the stream with fetch and parse the events themselves.',
  'Over HTTP/1.1 a browser allows six connections per origin, and every open stream takes one.',
  'A WebSocket frame header is two to fourteen bytes; an SSE event spends a few more on field names.',
  'Cancelling is simple too: abort the request, and the server sees the connection close.',
  'Resuming without loss needs the server to honour the id, whatever the transport.',
];

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
  const words: string[] = [];
  let seq = 0;
  while (seq < p.tokens) {
    if (words.length === 0) {
      const sentence = sentences[Math.floor(random() * sentences.length)];
      words.push(...sentence.split(' ').map((w, i) => (i === 0 && seq === 0 ? w : ` ${w}`)));
    }
    const token = words.shift() as string;
    seq++;
    // Log-normal gaps around the mean, and now and then a stall of a few gaps.
    let gapMs = mean * Math.exp(sigma * normal(random) - (sigma * sigma) / 2);
    if (random() < 0.03) gapMs += mean * (3 + random() * 5);
    if (seq === 1) gapMs = p.ttft;
    yield { seq, gapMs, kind: 'token', data: token };
  }
  yield { seq: p.tokens + 1, gapMs: mean, kind: 'end', data: '' };
  return undefined;
}

/** The agent steps' token pace, tokens/s (a fast model: the loop's cost is in the turns). */
export const AGENT_TPS = 200;

/** One agent step: `tokens` tokens (the first after `ttft`), then its tool call or, last, the end frame. */
function* agentStep(p: Record<string, number>, step: number, skip: number): Generator<PlannedFrame, undefined> {
  const random = createRandom((p.seed + step * 7919) >>> 0);
  const mean = 1000 / AGENT_TPS;
  const first = (step - 1) * stepFrames(p) + 1;
  const words: string[] = [];
  for (let i = 0; i < p.tokens; i++) {
    if (words.length === 0) {
      const sentence = sentences[Math.floor(random() * sentences.length)];
      words.push(...sentence.split(' ').map((w, j) => (j === 0 && i === 0 ? w : ` ${w}`)));
    }
    const token = words.shift() as string;
    const gapMs = i === 0 ? p.ttft : mean * Math.exp(0.5 * normal(random) - 0.125);
    if (i >= skip) yield { seq: first + i, gapMs, kind: 'token', data: token };
  }
  const last = step > p.turns;
  yield { seq: first + p.tokens, gapMs: mean, kind: last ? 'end' : 'tool', data: last ? '' : toolCallData(p, step) };
  return undefined;
}

function* agent(p: Record<string, number>, afterSeq: number): Generator<PlannedFrame, undefined> {
  const per = stepFrames(p);
  for (let step = Math.floor(afterSeq / per) + 1; step <= p.turns + 1; step++) {
    yield* agentStep(p, step, step === Math.floor(afterSeq / per) + 1 ? afterSeq % per : 0);
  }
  return undefined;
}

/** The frames of `schedule` up to and including `lastSeq` (a fetch + SSE agent turn plays one step). */
export function* untilSeq(schedule: Schedule, lastSeq: number): Generator<PlannedFrame, undefined> {
  for (let next = schedule.next(); !next.done; next = schedule.next()) {
    yield next.value;
    if (next.value.seq >= lastSeq) return undefined;
  }
  return undefined;
}

/** The same frames, the first one `ms` later (a modelled server cost before a step starts). */
export function* delayedBy(schedule: Schedule, ms: number): Generator<PlannedFrame, undefined> {
  let first = true;
  for (let next = schedule.next(); !next.done; next = schedule.next()) {
    yield first ? { ...next.value, gapMs: next.value.gapMs + ms } : next.value;
    first = false;
  }
  return undefined;
}

/** Total frames the scenario sends, or null when it runs until stopped. */
export function plannedTotal(config: ScenarioConfig): number | null {
  const p = config.params;
  if (config.scenario === 'llm') return p.tokens + 1;
  if (config.scenario === 'agent') return agentTotal(p);
  if (config.scenario === 'chat') return null;
  return p.count === 0 ? null : p.count;
}

/**
 * The frames of a scenario, starting after `afterSeq` (0 = from the beginning). Frames before the
 * resume point are generated and dropped, so a resumed stream carries the same payloads.
 */
export function createSchedule(config: ScenarioConfig, afterSeq = 0): Schedule {
  // Ticker and burst frames depend on seq alone: start them at the resume point, so a large `after`
  // cannot block the event loop replaying frames one by one. Only llm replays its random walk
  // (at most 20 001 frames).
  if (config.scenario === 'chat') {
    // The stream the user talks over: a steady ticker of small frames, until the page is done.
    return ticker({ rate: config.params.rate, size: 16, count: 0, seed: config.params.seed }, afterSeq + 1);
  }
  if (config.scenario === 'binary') return binary(config.params, afterSeq + 1);
  // Each agent step is seeded by its own number: a later step starts without replaying the earlier.
  if (config.scenario === 'agent') return agent(config.params, afterSeq);
  if (config.scenario !== 'llm') {
    return (config.scenario === 'ticker' ? ticker : burst)(config.params, afterSeq + 1);
  }
  const source = llm(config.params);
  let skipped = 0;
  while (skipped < afterSeq) {
    const next = source.next();
    if (next.done) break;
    skipped++;
  }
  return source;
}
