import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Import zones: the direction the README states ("How a frame travels"), enforced.
 *
 *   src/app, src/features, src/lib ─→ src/metrics, src/transports ─→ src/protocol
 *
 * - src/protocol imports nothing outside itself (no packages, no Node, no DOM).
 * - src/transports and src/metrics import no i18n, no features, no app, no React (they emit codes and
 *   values; the page words them), and no server or mocks.
 * - Nothing in app, features, lib, transports or metrics imports src/server.
 * - app, features and lib never import src/mocks, except the one module that starts and stops MSW.
 *
 * A zone lists its bans once, for static imports and exports (`no-restricted-imports`) and for
 * `import()` (`no-restricted-syntax`, as no-restricted-imports does not see dynamic imports). Bans
 * match whole path segments, so `../i18n/en.ts` is caught and `./i18n-ish.ts` is not.
 */

/** One banned folder: `name` as a path segment of the import, and why. */
const ban = (name, message) => ({ name, message });

const bans = {
  react: ban('react|react-dom', 'No React below features: this layer runs in a Worker and in Node.'),
  i18n: ban('i18n', 'No words below features: emit a code and its values; the page words them (src/features/lanes/lane-words.ts).'),
  features: ban('features', 'Imports flow one way: features import transports and metrics, never the reverse.'),
  app: ban('app', 'Imports flow one way: the app imports this layer, never the reverse.'),
  server: ban('server', 'src/server is the Live adapter (Node): the page and its layers never import it.'),
  mocks: ban('mocks', 'Reach the backend through the client API; only the MSW start/stop module imports src/mocks.'),
};

/** The segment regex of a ban: `../../i18n/en.ts` has the segment `i18n`. */
const segment = (name) => `(^|/)(${name})(/|$)`;

/** no-restricted-imports and no-restricted-syntax options for a list of bans. */
function zoneRules(list) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: list.map(({ name, message }) => ({ regex: segment(name), message })) },
    ],
    'no-restricted-syntax': [
      'error',
      ...list.map(({ name, message }) => ({
        // esquery regexes cannot hold a "/": \x2F stands for it.
        selector: `ImportExpression[source.value=/(^|\\x2F)(${name})(\\x2F|$)/]`,
        message,
      })),
    ],
  };
}

/** The one module that starts and stops MSW (another helper may move it from features to lib). */
const mswModules = ['src/features/run/mock-mode.ts', 'src/lib/mock-mode.ts', 'src/lib/mode.ts'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public/mockServiceWorker.js', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The protocol engine is shared by the browser and Node: no DOM, no Node APIs, nothing outside itself.
    files: ['src/protocol/**/*.ts'],
    ignores: ['src/protocol/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\./)', message: 'src/protocol imports nothing outside itself: only ./ modules.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'src/protocol imports nothing outside itself, and nothing lazily.' },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'location', 'process', 'Buffer'],
    },
  },
  {
    // The backend core (what the server decides, for the Live adapter and the mock alike): isomorphic
    // like the protocol, and outside itself it imports only src/protocol.
    files: ['src/backend/**/*.ts'],
    ignores: ['src/backend/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./|\\.\\./protocol/)',
              message: 'src/backend imports only ./ modules and ../protocol/*: no packages, no Node, no DOM.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'src/backend imports nothing lazily.' },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'location', 'process', 'Buffer'],
    },
  },
  {
    // Below features: codes and values, no words, no UI. (Integration tests that start the Live server
    // say so with an eslint-disable comment on that import.)
    files: ['src/metrics/**/*.{ts,tsx}', 'src/transports/**/*.{ts,tsx}'],
    rules: zoneRules([bans.react, bans.i18n, bans.features, bans.app, bans.server, bans.mocks]),
  },
  {
    // The page: no Node server, and the mock only through the MSW start/stop module.
    files: ['src/app/**/*.{ts,tsx}', 'src/features/**/*.{ts,tsx}', 'src/lib/**/*.{ts,tsx}'],
    rules: zoneRules([bans.server, bans.mocks]),
  },
  {
    // The MSW start/stop module: the one way in to src/mocks.
    files: mswModules,
    rules: zoneRules([bans.server]),
  },
);
