/**
 * Vitest setup: the Chinese dictionary is loaded on demand in the page (translate.ts, loadLang); the
 * tests that read both languages get it registered up front.
 */
import { registerLang } from './translate.ts';
import { zh } from './zh.ts';

registerLang('zh', zh);
