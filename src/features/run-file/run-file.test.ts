/**
 * A run through the session with fake transports, saved as a run file and read back: the file
 * reproduces every lane's numbers and chart series exactly (by replaying its journal through the
 * recorder), its CSV has a row per frame, and damaged, foreign, newer and too-large files are refused
 * with their reason.
 */
import { describe, expect, it } from 'vitest';
import { defaultParams, findScenario } from '../../protocol/scenarios.ts';
import { defaultStreamOptions } from '../../protocol/stream-options.ts';
import { defaultBackoff } from '../../transports/backoff.ts';
import {
  BaseTransport,
  issue,
  type TransportCapabilities,
  type TransportEvent,
  type TransportKind,
} from '../../transports/transport.ts';
import { RunSession, type TransportFactory } from '../run/run-session.ts';
import { digestData, alignSeries } from '../charts/aligned-data.ts';
import { CSV_COLUMNS, laneCsv } from './lane-csv.ts';
import { chartsSvg, ticks } from './chart-export.ts';
import { browserName, truncation } from './recorded-run.ts';
import { RecordingLaneRecorder } from './recording-recorder.ts';
import { firstDifference, replayLane } from './replay.ts';
import { buildRunFile, journalFrames, runFileName, runFileText, RUN_FILE_FORMAT, type RunFile } from './run-file-format.ts';
import { readRunFile, readRunFileText } from './run-file-read.ts';
import { MAX_RUN_FILE_BYTES } from './run-file-limits.ts';

const capabilities: TransportCapabilities = { cancel: 'close', chat: 'side-channel', rtt: 'none', reconnect: 'sse-retry' };

class FakeTransport extends BaseTransport {
  readonly capabilities = capabilities;
  constructor(readonly kind: TransportKind) {
    super();
  }
  connect(): void {
    this.setState('connecting');
  }
  reconnect(): void {}
  close(): void {
    this.finish(1, { kind: 'stopped' });
  }
  say(event: TransportEvent): void {
    if (event.type === 'open') this.setState('open');
    if (event.type === 'closed') this.finish(event.at, event.reason);
    else this.emit(event);
  }
}

const environment = {
  labVersion: '0.1.0',
  browser: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  mode: 'mock' as const,
  server: { origin: 'http://127.0.0.1:4173', protocol: 'http/1.1', version: '0.1.0' },
};

/** A finished llm-ish run in two lanes: tokens, a reconnect, an error, chat, polls and a cancel. */
function recordedRun(): RunFile {
  const made = new Map<TransportKind, FakeTransport>();
  const factory: TransportFactory = (kind) => {
    const transport = new FakeTransport(kind);
    made.set(kind, transport);
    return transport;
  };
  const spec = findScenario('llm');
  if (!spec) throw new Error('no llm');
  const session = new RunSession(
    {
      scenario: { scenario: 'llm', params: defaultParams(spec) },
      options: defaultStreamOptions(),
      backoff: defaultBackoff,
      lanes: ['eventsource', 'websocket'],
      token: 'secret',
    },
    'http://lab.test',
    {},
    factory,
  );
  session.start();
  const t0 = session.startedAt;
  let seq = 0;
  for (const [kind, transport] of made) {
    transport.say({ type: 'open', at: t0 + 5 });
    for (let i = 1; i <= 40; i++) {
      seq = i;
      const sentAt = t0 + i * 10.123;
      transport.say({
        type: 'frame',
        at: sentAt + 0.7 + (i % 7) * 0.31,
        frame: { type: 'frame', seq, t: sentAt, kind: 'token', data: ` word${i}` },
        bytes: 60 + i,
      });
      if (i % 10 === 0) session.snapshot(t0 + i * 10.2);
    }
    transport.say({ type: 'reconnecting', at: t0 + 420, attempt: 1, delayMs: 1000 });
    transport.say({ type: 'open', at: t0 + 600 });
    transport.say({ type: 'error', at: t0 + 601, issue: issue('ws.server', { error: `bad ${kind}` }) });
    transport.say({ type: 'chat-sent', at: t0 + 602, id: 'm1', bytes: 300, connection: 7 });
    transport.say({ type: 'reply', at: t0 + 640, reply: { type: 'reply', id: 'm1', t: t0 + 602, serverT: t0 + 620, text: 'hi' } });
    transport.say({ type: 'poll', at: t0 + 650, requestBytes: 200, responseHeadBytes: 150, frames: 3 });
    transport.say({
      type: 'frame',
      at: t0 + 700.25,
      frame: { type: 'frame', seq: 41, t: t0 + 699.5, kind: 'end', data: 'x'.repeat(80) },
      bytes: 90,
    });
  }
  session.cancel();
  session.stop();
  return buildRunFile({ recording: session.recording(t0 + 800), environment, runLog: [{ id: 1, transport: 'sse' }], exportedAt: new Date('2025-06-01T12:00:00.000Z') });
}

describe('run file', () => {
  it('reads back what it saved: every lane number and chart series, exactly', async () => {
    const file = recordedRun();
    expect(file.format).toBe(RUN_FILE_FORMAT);
    expect(JSON.stringify(file.settings)).not.toContain('secret');
    const text = runFileText(file);
    const read = await readRunFile(new File([text], 'run.json'));
    if (!read.ok) throw new Error(JSON.stringify(read.reason));
    expect(read.file.lanes).toHaveLength(2);
    for (const [i, lane] of read.file.lanes.entries()) {
      const original = file.lanes[i].view;
      expect(firstDifference(lane.view, original)).toBeNull();
      expect(lane.view.frames).toBe(41);
      expect(lane.view.reconnects).toBe(1);
      expect(lane.view.latency.p95).toBe(original.latency.p95);
      expect(lane.view.text).toBe(original.text);
      expect(lane.recording.complete).toBe(true);
      // The chart digest the page puts on its figures is the same too.
      expect(digestData(alignSeries([lane.view.latencySeries]).data)).toBe(digestData(alignSeries([original.latencySeries]).data));
    }
  });

  it('replays a journal through the recorder to the snapshot the page showed', () => {
    const file = recordedRun();
    const lane = file.lanes[1];
    const replayed = replayLane(file.run.startedAt, journalFrames(lane.recording.frames), lane.recording.events);
    expect(replayed?.frames).toBe(lane.view.frames);
    expect(replayed?.framesSeries).toEqual(lane.view.framesSeries);
    expect(replayed?.recent).toEqual(lane.view.recent);
  });

  it('writes one CSV row per frame, with the latency of each', () => {
    const file = recordedRun();
    const csv = laneCsv(file.lanes[0], file.run.startedAt);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + file.lanes[0].view.frames);
    const [seq, kind, sent, received, latency] = lines[1].split(',');
    expect([seq, kind]).toEqual(['1', 'token']);
    expect(Number(latency)).toBeCloseTo(Number(received) - Number(sent), 9);
  });

  it('refuses a frame edited after the fact: its lane no longer adds up', () => {
    const file = recordedRun();
    const row = file.lanes[1].recording.frames[3];
    row[2] += 5;
    const read = readRunFileText(runFileText(file));
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.reason.key).toBe('runFile.error.inconsistent');
      expect(read.reason.vars?.lane).toBe('websocket');
    }
  });

  it.each([
    ['cut short', (text: string) => text.slice(0, text.length / 2), 'runFile.error.notJson'],
    ['another program’s JSON', () => '{"name":"package","version":"1.0.0"}', 'runFile.error.foreign'],
    ['a newer version', (text: string) => text.replace('"version":1', '"version":2'), 'runFile.error.newer'],
    ['a field of the wrong type', (text: string) => text.replace('"frames":41', '"frames":"41"'), 'runFile.error.damaged'],
    ['nested too deep', () => `${'['.repeat(100)}${']'.repeat(100)}`, 'runFile.error.tooDeep'],
  ])('refuses a file %s with its reason', (_name, damage, key) => {
    const read = readRunFileText(damage(runFileText(recordedRun())));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason.key).toBe(key);
  });

  it('names the path of a damaged field', () => {
    const read = readRunFileText(runFileText(recordedRun()).replace('"frames":41', '"frames":"41"'));
    expect(read.ok ? null : read.reason.vars?.path).toBe('file.lanes[0].view.frames');
  });

  it('refuses a file past MAX_RUN_FILE_BYTES before reading it', async () => {
    const read = await readRunFile({ size: MAX_RUN_FILE_BYTES + 1, text: () => Promise.reject(new Error('read')) });
    expect(read.ok ? null : read.reason.key).toBe('runFile.error.tooLarge');
  });

  it('keeps at most the cap of frames, says so, and still opens', () => {
    const recorder = new RecordingLaneRecorder(1000, {}, { frames: 5, events: 100 });
    for (let i = 1; i <= 8; i++) recorder.recordFrame(1000 + i * 10, { seq: i, t: 1000 + i * 10 - 1, kind: 'tick', data: 'd' }, 10);
    recorder.snapshot(1100);
    const recording = recorder.recording('websocket');
    expect(recording.framesSeen).toBe(8);
    expect(recording.frames.seq).toHaveLength(5);
    const file = recordedRun();
    const lane = file.lanes[1];
    lane.recording = { ...lane.recording, complete: false, framesSeen: lane.recording.framesSeen + 10 };
    const read = readRunFileText(runFileText(file));
    expect(read.ok).toBe(true);
    if (read.ok) expect(truncation(read.file)).toEqual({ kept: 41, seen: 51, lanes: ['websocket'] });
  });

  it('draws both charts as SVG, one line per lane', () => {
    const file = recordedRun();
    const svg = chartsSvg(file.lanes.map((l) => l.view), file.run.elapsedS, {
      latencyTitle: 'Latency',
      framesTitle: 'Frames',
      framesAxis: 'frames',
      laneTitle: (kind) => kind,
      caption: 'a <run>',
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('a &lt;run&gt;');
    expect(ticks(10)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('names files by scenario and date, and browsers by name', () => {
    expect(runFileName(recordedRun(), 'csv', '-websocket')).toBe('sse-vs-ws-run-llm-2025-06-01T12-00-00-websocket.csv');
    expect(browserName(environment.browser)).toBe('Chrome (headless) 131');
    expect(browserName('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133');
  });
});
