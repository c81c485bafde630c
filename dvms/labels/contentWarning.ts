import type { LabelScores } from '../../models/index.ts';
import type { ModelRef } from '../tags/tagger.ts';

export const CONTENT_WARNING_MODEL: ModelRef = { id: 'hamlet/content-warning-rules', version: '1' };

/** Words that alone make a post worth a warning, by NIP-36 reason. */
const LEXICON: Record<string, string[]> = {
  nsfw: 'nsfw porn porno nude nudes naked xxx sex sexy onlyfans'.split(' '),
  violence: 'gore gory blood bloody corpse murder murdered massacre beheading'.split(' '),
  spoiler: 'spoiler spoilers'.split(' '),
};

const WORD_RE = /[\p{L}\p{N}]+/gu;

/**
 * Content-warning reasons with scores: lexical ones (a listed word: 0.9, two or more: 0.97)
 * and toxicity-derived ones (profanity from `obscene`, violence from `threat`, offensive from
 * `toxic`, each with the classifier's score). The labeler keeps those at its threshold.
 */
export function contentWarnings(text: string, toxicity: LabelScores | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  const words = (text.toLowerCase().match(WORD_RE) ?? []) as string[];
  for (const [reason, list] of Object.entries(LEXICON)) {
    const hits = words.filter((w) => list.includes(w)).length;
    if (hits > 0) out[reason] = hits > 1 ? 0.97 : 0.9;
  }
  if (toxicity) {
    const pick = (reason: string, score: number | undefined) => {
      if (score !== undefined && score > (out[reason] ?? 0)) out[reason] = score;
    };
    pick('profanity', toxicity.obscene);
    pick('violence', toxicity.threat);
    pick('offensive', toxicity.toxic);
  }
  return out;
}
