import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../i18n/en.ts';
import { zh } from '../../i18n/zh.ts';
import { demoIds, liveOnlyDemos } from '../claims/demo-id.ts';
import { clampTourStep, isTypingElement, parseTourParam, tourKeyAction, tourSteps } from './tour-steps.ts';

const keysOf = (step: (typeof tourSteps)[number]): MessageKey[] => [step.title, ...step.body, step.look];
const key = (k: string, mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {}) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('tour steps', () => {
  it('has 8 to 10 steps with unique ids', () => {
    expect(tourSteps.length).toBeGreaterThanOrEqual(8);
    expect(tourSteps.length).toBeLessThanOrEqual(13);
    expect(new Set(tourSteps.map((s) => s.id)).size).toBe(tourSteps.length);
  });

  it("every step's texts exist, non-empty, in English and Chinese, under tour.", () => {
    for (const step of tourSteps) {
      for (const k of keysOf(step)) {
        expect(k.startsWith('tour.'), k).toBe(true);
        expect(en[k]?.trim(), `en ${k}`).toBeTruthy();
        expect(zh[k]?.trim(), `zh ${k}`).toBeTruthy();
      }
    }
  });

  it('the Chinese texts are Chinese, not English left over', () => {
    for (const step of tourSteps) {
      for (const k of keysOf(step)) expect(zh[k], k).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('runs valid demos, the live-only ones flagged, each demo in at most one step', () => {
    const demos = tourSteps.flatMap((s) => (s.demo ? [s.demo] : []));
    for (const demo of demos) expect(demoIds).toContain(demo);
    expect(new Set(demos).size).toBe(demos.length);
    for (const step of tourSteps) expect(step.liveOnly, step.id).toBe(step.demo !== null && liveOnlyDemos.has(step.demo));
  });

  it('covers every live-only demo, and starts with the LLM stream', () => {
    for (const demo of liveOnlyDemos) expect(tourSteps.some((s) => s.demo === demo), demo).toBe(true);
    expect(tourSteps[0].demo).toBe('llm');
  });
});

describe('clampTourStep', () => {
  it('keeps 1…count, rounds down, and clamps the rest', () => {
    expect(clampTourStep(1, 10)).toBe(1);
    expect(clampTourStep(10, 10)).toBe(10);
    expect(clampTourStep(3.9, 10)).toBe(3);
    expect(clampTourStep(0, 10)).toBe(1);
    expect(clampTourStep(-4, 10)).toBe(1);
    expect(clampTourStep(11, 10)).toBe(10);
    expect(clampTourStep(Infinity, 10)).toBe(10);
    expect(clampTourStep(NaN, 10)).toBe(1);
  });

  it('defaults to the real number of steps', () => {
    expect(clampTourStep(999)).toBe(tourSteps.length);
  });
});

describe('parseTourParam', () => {
  it('absent means closed', () => {
    expect(parseTourParam(null)).toBeNull();
  });

  it('reads a step number and clamps it', () => {
    expect(parseTourParam('3', 10)).toBe(3);
    expect(parseTourParam('0', 10)).toBe(1);
    expect(parseTourParam('-2', 10)).toBe(1);
    expect(parseTourParam('99', 10)).toBe(10);
  });

  it('any other value opens the tour at step 1', () => {
    expect(parseTourParam('', 10)).toBe(1);
    expect(parseTourParam('x', 10)).toBe(1);
  });
});

describe('tourKeyAction', () => {
  it('arrows and Page Up / Down move, Escape exits', () => {
    expect(tourKeyAction(key('ArrowRight'))).toBe('next');
    expect(tourKeyAction(key('PageDown'))).toBe('next');
    expect(tourKeyAction(key('ArrowLeft'))).toBe('back');
    expect(tourKeyAction(key('PageUp'))).toBe('back');
    expect(tourKeyAction(key('Escape'))).toBe('exit');
  });

  it('leaves other keys and modified keys alone', () => {
    expect(tourKeyAction(key('Enter'))).toBeNull();
    expect(tourKeyAction(key('ArrowDown'))).toBeNull();
    expect(tourKeyAction(key('ArrowLeft', { altKey: true }))).toBeNull();
    expect(tourKeyAction(key('ArrowRight', { ctrlKey: true }))).toBeNull();
    expect(tourKeyAction(key('ArrowRight', { metaKey: true }))).toBeNull();
    expect(tourKeyAction(key('ArrowRight', { shiftKey: true }))).toBeNull();
  });
});

describe('isTypingElement', () => {
  const el = (tagName: string, role: string | null = null, isContentEditable = false) => ({
    tagName,
    isContentEditable,
    getAttribute: (name: string) => (name === 'role' ? role : null),
  });

  it('inputs, selects, text areas, editable text and arrow-key widgets keep their keys', () => {
    for (const tag of ['INPUT', 'select', 'TEXTAREA']) expect(isTypingElement(el(tag)), tag).toBe(true);
    expect(isTypingElement(el('DIV', null, true))).toBe(true);
    expect(isTypingElement(el('DIV', 'slider'))).toBe(true);
  });

  it('buttons, headings and nothing at all do not', () => {
    expect(isTypingElement(el('BUTTON'))).toBe(false);
    expect(isTypingElement(el('H3'))).toBe(false);
    expect(isTypingElement(null)).toBe(false);
  });
});
