import type { LabelScores } from '../../models/index.ts';
import type { ModelRef } from '../tags/tagger.ts';

export const CONTENT_WARNING_MODEL: ModelRef = { id: 'hamlet/content-warning-rules', version: '2' };

/**
 * Words that alone make a post worth a warning, by NIP-36 reason: English, then Spanish,
 * German, French and Portuguese (a village's second languages get their warnings too).
 */
const LEXICON: Record<string, string[]> = {
  nsfw: (
    'nsfw porn porno nude nudes naked xxx sex sexy onlyfans ' +
    'desnudo desnuda desnudos desnudas pornografía sexo ' +
    'nackt nackte nacktbilder pornografie ' +
    'nu nue nus nues pornographie sexe ' +
    'nua nuas pelado pelada pornografia'
  ).split(' '),
  violence: (
    'gore gory blood bloody corpse murder murdered massacre beheading ' +
    'sangre sangriento cadáver asesinato asesinado masacre decapitación ' +
    'blut blutig leiche mord ermordet massaker enthauptung ' +
    'sang sanglant cadavre meurtre assassiné massacre décapitation ' +
    'sangue sangrento cadáver assassinato assassinado massacre decapitação'
  ).split(' '),
  spoiler: 'spoiler spoilers spoileralarm spoilers'.split(' '),
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
