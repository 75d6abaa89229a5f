/**
 * The demos behind the claims table's "show me" buttons and the guided tour's steps. The App maps
 * each id to what it does (src/app/demos.ts): start a run with set parameters, or run a Live probe.
 */
export type DemoId = 'llm' | 'handshake' | 'overhead' | 'binary' | 'reconnect' | 'chat' | 'limit' | 'origin' | 'memory' | 'parse' | 'mcp' | 'agent' | 'backpressure';

export const demoIds: readonly DemoId[] = [
  'llm',
  'handshake',
  'overhead',
  'binary',
  'reconnect',
  'chat',
  'limit',
  'origin',
  'memory',
  'parse',
  'mcp',
  'agent',
  'backpressure',
];

/** Demos that need the live server (real sockets, real Origin, real memory). */
export const liveOnlyDemos: ReadonlySet<DemoId> = new Set<DemoId>(['limit', 'origin', 'memory', 'backpressure']);

/** Where on the page each demo's evidence shows (section ids, without the `section-` prefix). */
export type SectionId = 'lanes' | 'inspector' | 'limit' | 'claims' | 'apis';

export type RunDemo = (id: DemoId) => Promise<void>;
