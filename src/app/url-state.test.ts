import { describe, expect, it } from 'vitest';
import { tourSteps } from '../features/tour/tour-steps.ts';
import { readUrlState, writeUrlState } from './url-state.ts';

describe('url state: tour', () => {
  it('is closed (null) when the link has no tour, and stays out of the link', () => {
    const state = readUrlState('?mode=live&lang=zh');
    expect(state.tour).toBeNull();
    expect(writeUrlState(state)).not.toMatch(/tour=/);
  });

  it('a shared link opens its step, in its language and mode', () => {
    const state = readUrlState('?mode=live&tour=3&lang=zh');
    expect(state).toMatchObject({ mode: 'live', tour: 3, lang: 'zh' });
    expect(new URLSearchParams(writeUrlState(state)).get('tour')).toBe('3');
  });

  it('clamps out-of-range and malformed steps', () => {
    expect(readUrlState('?tour=0').tour).toBe(1);
    expect(readUrlState('?tour=-1').tour).toBe(1);
    expect(readUrlState('?tour=999').tour).toBe(tourSteps.length);
    expect(readUrlState('?tour=').tour).toBe(1);
    expect(readUrlState('?tour=abc').tour).toBe(1);
    expect(readUrlState('?tour=2.7').tour).toBe(2);
  });

  it('writes a clamped step and reads back what it wrote', () => {
    const state = { ...readUrlState(''), tour: 99 };
    expect(new URLSearchParams(writeUrlState(state)).get('tour')).toBe(String(tourSteps.length));
    const back = readUrlState(writeUrlState({ ...state, tour: 5 }));
    expect(back.tour).toBe(5);
  });

  it('the rest of the state is untouched by the tour', () => {
    const without = readUrlState('?mode=live&scenario=llm&tokens=50&autostart=1');
    const withTour = readUrlState('?mode=live&scenario=llm&tokens=50&autostart=1&tour=4');
    expect({ ...withTour, tour: null }).toEqual(without);
  });
});

describe('mode and lesson panel in the URL', () => {
  it('uses the served mode when the URL names none, and an explicit mode= always wins', () => {
    expect(readUrlState('', 'live').mode).toBe('live');
    expect(readUrlState('', 'mock').mode).toBe('mock');
    expect(readUrlState('?mode=mock', 'live').mode).toBe('mock');
    expect(readUrlState('?mode=live', 'mock').mode).toBe('live');
    expect(readUrlState('?mode=bogus', 'live').mode).toBe('live');
  });

  it('remembers the open lesson panel, and leaves the default out of the link', () => {
    expect(readUrlState('?panel=claims').panel).toBe('claims');
    expect(readUrlState('?panel=nope').panel).toBe('faults');
    expect(readUrlState('').panel).toBe('faults');
    const state = readUrlState('?mode=live&panel=inspector');
    expect(new URLSearchParams(writeUrlState(state)).get('panel')).toBe('inspector');
    expect(new URLSearchParams(writeUrlState({ ...state, panel: 'faults' })).has('panel')).toBe(false);
  });
});

describe('url state: URL mode', () => {
  it('mode=url with its endpoints reproduces the run, with no scenario in the link', () => {
    const link =
      '?mode=url&sse=http%3A%2F%2F127.0.0.1%3A9000%2Fevents&ws=ws%3A%2F%2F127.0.0.1%3A9001%2Fs&wsSend=%7B%22op%22%3A%22subscribe%22%7D&seqPath=data.id&tPath=meta.sentAt&autostart=1';
    const state = readUrlState(link, 'live');
    expect(state.mode).toBe('url');
    expect(state.endpoints).toMatchObject({
      sse: 'http://127.0.0.1:9000/events',
      ws: 'ws://127.0.0.1:9001/s',
      wsSend: '{"op":"subscribe"}',
      mapping: { seq: 'data.id', t: 'meta.sentAt' },
    });
    const written = new URLSearchParams(writeUrlState(state));
    expect(written.has('scenario')).toBe(false);
    expect(written.has('rate')).toBe(false);
    expect(readUrlState(writeUrlState(state), 'live')).toEqual(state);
  });

  it('keeps a secret header out of the link', () => {
    const state = readUrlState('?mode=url&sse=http%3A%2F%2Fx%2Fe');
    const written = writeUrlState({ ...state, endpoints: { ...state.endpoints, headers: 'Authorization: Bearer sk-1\nX-Trace: 7' } });
    expect(written).not.toContain('sk-1');
    expect(new URLSearchParams(written).getAll('header')).toEqual(['X-Trace: 7']);
  });

  it('other modes write no endpoints', () => {
    const state = readUrlState('?mode=live&scenario=ticker');
    expect(new URLSearchParams(writeUrlState({ ...state, endpoints: { ...state.endpoints, sse: 'http://x/e' } })).has('sse')).toBe(false);
  });
});
