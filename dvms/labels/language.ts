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
  /** What the village writes in (villageLanguages.ts): a bonus per ISO-639-3 code. */
  village?: { bonus(iso6393: string): number };
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

/**
 * Speakers in millions (first and second language, rounded; Ethnologue-style orders of
 * magnitude) of the languages most posts are written in. Short texts leave franc with near-ties
 * between close relatives (Spanish, Catalan, Galician; Portuguese and Galician; Norwegian and
 * Danish); the odds favour the widely spoken one, so each score gets PRIOR × log10(1 + speakers)
 * before the softmax. A text with clear Catalan features still wins as Catalan.
 */
const SPEAKERS: Record<string, number> = {
  eng: 1500, cmn: 1100, hin: 600, spa: 550, fra: 300, arb: 270, ben: 270, por: 260, rus: 250, urd: 230, ind: 200, deu: 130,
  jpn: 125, pcm: 120, mar: 100, tel: 95, tur: 90, tam: 85, vie: 85, kor: 80, ita: 65, pol: 40, ukr: 35, nld: 25, ron: 25,
  swe: 13, ces: 11, ell: 13, hun: 13, cat: 10, dan: 6, fin: 5, nob: 5, slk: 5, glg: 2.4, eus: 0.8,
};
const PRIOR = 0.02;
const prior = (iso6393: string): number => PRIOR * Math.log10(1 + (SPEAKERS[iso6393] ?? 1));

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
  const ranked = francAll(plain, { only: candidates(o.languages), minLength: 1 })
    .map(([lang, score]) => [lang, score + prior(lang) + (o.village?.bonus(lang) ?? 0)] as const)
    .sort((a, b) => b[1] - a[1]);
  const best = ranked[0];
  if (!best || best[0] === 'und' || !TO_1[best[0]]) return undefined;
  let sum = 0;
  for (const [, score] of ranked) sum += Math.exp((score - best[1]) / TEMPERATURE);
  return { code: TO_1[best[0]]!, iso6393: best[0], confidence: 1 / sum };
}
