/**
 * 实验室所有面向用户的简体中文文本，与 `en.ts` 的键完全相同（编译器和 `messages.test.ts` 都会检查）。
 */
import type { Messages } from './en.ts';

export const zh: Messages = {
  // --- app ---
  'app.title': 'SSE 与 WebSocket 实验室',
  'app.language': '语言',
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
};
