/**
 * The lane registry is the one list of lanes: these checks hold it to the page's other fixed facts
 * (the stylesheet's colours, the README's `data-lane` values, the URL codes the app reads).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.ts';
import { zh } from '../../i18n/zh.ts';
import * as urlState from '../../app/url-state.ts';
import {
  defaultLanes,
  laneCodes,
  laneKinds,
  laneOfServerTransport,
  laneOfUrlCode,
  laneRegistry,
  laneTitleKeys,
  serverTransportOf,
} from './lane-registry.ts';

describe('lane registry', () => {
  it('has every lane once, under its own kind, in display order (the data-lane values are public)', () => {
    expect(laneKinds).toEqual(['eventsource', 'fetch-sse', 'websocket', 'websocket-stream', 'short-poll', 'long-poll']);
    for (const kind of laneKinds) expect(laneRegistry[kind].kind).toBe(kind);
  });

  it('URL codes are distinct and read back to their lane', () => {
    expect(laneCodes).toEqual([
      ['es', 'eventsource'],
      ['fetch', 'fetch-sse'],
      ['ws', 'websocket'],
      ['wss', 'websocket-stream'],
      ['poll', 'short-poll'],
      ['longpoll', 'long-poll'],
    ]);
    for (const [code, kind] of laneCodes) expect(laneOfUrlCode(code)).toBe(kind);
    expect(laneOfUrlCode('nope')).toBeUndefined();
    expect(defaultLanes).toEqual(['eventsource', 'fetch-sse', 'websocket']);
  });

  it('agrees with the URL state until it reads the registry itself', () => {
    expect(urlState.laneCodes).toEqual(laneCodes);
    expect(urlState.defaultLanes).toEqual(defaultLanes);
  });

  it("server names are the API's (sse, fetch, ws); WebSocketStream shares ws; polling lanes have none", () => {
    expect(laneKinds.map(serverTransportOf)).toEqual(['sse', 'fetch', 'ws', 'ws', null, null]);
    expect(laneOfServerTransport('sse')).toBe('eventsource');
    expect(laneOfServerTransport('fetch')).toBe('fetch-sse');
    expect(laneOfServerTransport('ws')).toBe('websocket');
  });

  it('titles read as the README names the lane regions, and exist in both languages', () => {
    expect(laneKinds.map((kind) => en[laneTitleKeys[kind]])).toEqual([
      'EventSource',
      'fetch + SSE',
      'WebSocket',
      'WebSocketStream',
      'Short polling',
      'Long polling',
    ]);
    for (const kind of laneKinds) {
      const spec = laneRegistry[kind];
      for (const key of [spec.title, spec.subtitle, spec.cancelHow, spec.chatCostHelp]) {
        expect(en[key], key).toBeTruthy();
        expect(zh[key], key).toBeTruthy();
      }
    }
  });

  it("each colour is a custom property of the stylesheet, and its fallback is the light theme's value", () => {
    const css = readFileSync(new URL('../../styles.css', import.meta.url), 'utf8');
    const root = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
    for (const kind of laneKinds) {
      const { cssVar, fallback } = laneRegistry[kind].color;
      const value = new RegExp(`${cssVar}:\\s*([^;]+);`).exec(root)?.[1].trim();
      expect(value, cssVar).toBe(fallback);
    }
  });
});
