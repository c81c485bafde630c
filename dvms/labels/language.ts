import { francAll } from 'franc';
import { iso6393To1 } from 'iso-639-3';
import type { ModelInfo } from '../../models/index.ts';
import { plainText } from '../tags/text.ts';

/** franc's version, read once: the language labels name it as their model. */
const FRANC_VERSION = '6.2.0';

export function languageModelInfo(): ModelInfo {
  return { id: 'franc', version: FRANC_VERSION, provider: 'builtin' };
}

export interface LanguageGuess {
  /** ISO-639-1, e.g. "de". */
  code: string;
  /** ISO-639-3, as franc names it, e.g. "deu". */
  iso6393: string;
  confidence: number;
}

export interface LanguageOptions {
  /** ISO-639-1 codes to choose from; empty: every franc language with an ISO-639-1 code. */
  languages?: readonly string[];
  /** Fewer letters than this (after links and hashtags are removed): no guess. */
  minLength?: number;
}

const TO_1 = iso6393To1 as Record<string, string>;
const FROM_1 = new Map(Object.entries(TO_1).map(([three, one]) => [one, three]));
/** Every ISO-639-3 code that has an ISO-639-1 code: the only languages we can label. */
const ALL_WITH_1 = Object.keys(TO_1);

/**
 * Softmax temperature over franc's scores (1 for the best language, the others as a fraction
 * of it). franc's scores are relative distances, not probabilities; with 0.05 a runner-up at
 * 0.8 of the winner leaves the winner about 0.98, and three near-ties about 0.5.
 */
const TEMPERATURE = 0.05;

/** Candidate lists by configured languages, built once per list. */
const onlyCache = new Map<string, string[]>();
function candidates(languages: readonly string[] | undefined): string[] {
  if (!languages || languages.length === 0) return ALL_WITH_1;
  const key = languages.join(',');
  let only = onlyCache.get(key);
  if (!only) onlyCache.set(key, (only = languages.flatMap((l) => (FROM_1.has(l) ? [FROM_1.get(l)!] : []))));
  return only;
}

/**
 * The language of a text with franc (trigram profiles), as ISO-639-1, with a confidence from
 * the softmax of franc's scores (see TEMPERATURE). Undefined when the text is too short or
 * franc cannot tell ("und").
 */
export function detectLanguage(text: string, o: LanguageOptions = {}): LanguageGuess | undefined {
  const plain = plainText(text, { hashtags: 'drop' });
  const letters = plain.replace(/[^\p{L}]/gu, '').length;
  if (letters < (o.minLength ?? 12)) return undefined;
  const ranked = francAll(plain, { only: candidates(o.languages), minLength: 1 });
  const best = ranked[0];
  if (!best || best[0] === 'und' || !TO_1[best[0]]) return undefined;
  let sum = 0;
  for (const [, score] of ranked) sum += Math.exp((score - best[1]) / TEMPERATURE);
  return { code: TO_1[best[0]]!, iso6393: best[0], confidence: 1 / sum };
}
