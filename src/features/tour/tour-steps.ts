/**
 * The guided tour: the usual "why do LLM APIs stream over SSE, not WebSocket?" answer, one claim per
 * step, each step backed by a demo of the lab. Pure data and helpers; the panel renders them.
 *
 * A step's texts are message keys (src/i18n/en.ts and zh.ts, `tour.` section): the compiler checks
 * that they exist, `tour-steps.test.ts` that both languages have them.
 */
import type { MessageKey } from '../../i18n/en.ts';
import type { DemoId } from '../claims/demo-id.ts';

export interface TourStep {
  /** Stable name of the step (kebab-case); the URL uses the step's number. */
  id: string;
  /** The demo the step runs, or null for a step that only explains. */
  demo: DemoId | null;
  title: MessageKey;
  /** What the step shows and why it matters, one paragraph per key. */
  body: readonly MessageKey[];
  /** Where to look once the demo has run: which panel, which number. */
  look: MessageKey;
  /** The demo needs the live server (real sockets, a real Origin, real memory). */
  liveOnly: boolean;
}

export const tourSteps: readonly TourStep[] = [
  { id: 'question', demo: 'llm', title: 'tour.question.title', body: ['tour.question.body'], look: 'tour.question.look', liveOnly: false },
  { id: 'handshake', demo: 'handshake', title: 'tour.handshake.title', body: ['tour.handshake.body'], look: 'tour.handshake.look', liveOnly: false },
  { id: 'overhead', demo: 'overhead', title: 'tour.overhead.title', body: ['tour.overhead.body'], look: 'tour.overhead.look', liveOnly: false },
  { id: 'binary', demo: 'binary', title: 'tour.binary.title', body: ['tour.binary.body'], look: 'tour.binary.look', liveOnly: false },
  { id: 'reconnect', demo: 'reconnect', title: 'tour.reconnect.title', body: ['tour.reconnect.body'], look: 'tour.reconnect.look', liveOnly: false },
  { id: 'chat', demo: 'chat', title: 'tour.chat.title', body: ['tour.chat.body'], look: 'tour.chat.look', liveOnly: false },
  { id: 'limit', demo: 'limit', title: 'tour.limit.title', body: ['tour.limit.body'], look: 'tour.limit.look', liveOnly: true },
  { id: 'origin', demo: 'origin', title: 'tour.origin.title', body: ['tour.origin.body'], look: 'tour.origin.look', liveOnly: true },
  { id: 'memory', demo: 'memory', title: 'tour.memory.title', body: ['tour.memory.body'], look: 'tour.memory.look', liveOnly: true },
  {
    id: 'verdict',
    demo: 'parse',
    title: 'tour.verdict.title',
    body: ['tour.verdict.body', 'tour.verdict.body2'],
    look: 'tour.verdict.look',
    liveOnly: false,
  },
  // The follow-ups, where the one-way answer stops being the whole story.
  { id: 'agent', demo: 'agent', title: 'tour.agent.title', body: ['tour.agent.body'], look: 'tour.agent.look', liveOnly: false },
  { id: 'backpressure', demo: 'backpressure', title: 'tour.backpressure.title', body: ['tour.backpressure.body'], look: 'tour.backpressure.look', liveOnly: true },
  { id: 'mcp', demo: 'mcp', title: 'tour.mcp.title', body: ['tour.mcp.body'], look: 'tour.mcp.look', liveOnly: false },
];

/** A 1-based step number inside 1…count (rounded down; NaN counts as the first step). */
export function clampTourStep(n: number, count: number = tourSteps.length): number {
  if (count < 1) return 1;
  if (!Number.isFinite(n)) return n === Infinity ? count : 1;
  return Math.min(count, Math.max(1, Math.floor(n)));
}

/**
 * The `tour` URL parameter: absent means the tour is closed; any other value opens it, clamped to a
 * real step (`tour=0` → 1, `tour=99` → the last, `tour=` or `tour=x` → 1).
 */
export function parseTourParam(raw: string | null, count: number = tourSteps.length): number | null {
  if (raw === null) return null;
  const n = Number.parseInt(raw, 10);
  return clampTourStep(Number.isNaN(n) ? 1 : n, count);
}

export type TourKeyAction = 'next' | 'back' | 'exit';

/** What a key press does to the tour; null for keys it leaves alone (and any key with a modifier). */
export function tourKeyAction(e: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): TourKeyAction | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.key === 'Escape') return 'exit';
  if (e.shiftKey) return null;
  if (e.key === 'ArrowRight' || e.key === 'PageDown') return 'next';
  if (e.key === 'ArrowLeft' || e.key === 'PageUp') return 'back';
  return null;
}

/** Elements where the arrow keys belong to the user's typing or choosing, not to the tour. */
export function isTypingElement(el: { tagName: string; isContentEditable?: boolean; getAttribute?(name: string): string | null } | null): boolean {
  if (!el) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return true;
  if (el.isContentEditable) return true;
  const role = el.getAttribute?.('role');
  return role === 'slider' || role === 'radio' || role === 'textbox' || role === 'listbox' || role === 'tab';
}
