/**
 * Every user-facing English string of the lab, in one place. `zh.ts` must have exactly the same keys
 * (the compiler and `messages.test.ts` both check). `{name}` placeholders are filled by `t()`.
 *
 * Sections are grouped by feature; keep each feature's keys together, prefixed with its name.
 */
export const en = {
  // --- app ---
  'app.title': 'SSE vs WebSocket Lab',
  'app.language': 'Language',
  'app.language.en': 'English',
  'app.language.zh': '中文',
  // --- end app ---

  // --- inspector ---
  // --- end inspector ---

  // --- conn-limit ---
  // --- end conn-limit ---

  // --- claims ---
  // --- end claims ---

  // --- tour ---
  // --- end tour ---
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
