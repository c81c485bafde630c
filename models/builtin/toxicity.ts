import { words } from './text.ts';
import type { LabelScores, ModelInfo } from '../types.ts';

/**
 * The built-in toxicity classifier: a small weighted lexicon with phrase rules, leetspeak and
 * repeated-letter folding, a boost when the words are aimed at someone ("you ..."), and a
 * logistic squash per label. It catches plain insults, profanity and threats; it does not
 * understand context, irony or slurs spelled creatively. Labels follow toxic-bert's names so a
 * policy's thresholds keep meaning the same when the model is pulled.
 */
export const BUILTIN_TOXICITY_LABELS = ['toxic', 'insult', 'obscene', 'threat'] as const;
type Label = (typeof BUILTIN_TOXICITY_LABELS)[number];
const VERSION = '1';

export function builtinToxicityInfo(): ModelInfo {
  return { id: 'hamlet/builtin-lexicon-toxicity', version: VERSION, provider: 'builtin' };
}

type Weights = Partial<Record<Exclude<Label, 'toxic'>, number>>;

const LEXICON: Record<string, Weights> = {};
const lexicon = (label: keyof Weights, weight: number, list: string): void => {
  for (const w of list.split(' ')) LEXICON[w] = { ...LEXICON[w], [label]: weight };
};
lexicon('insult', 3, 'idiot idiots moron morons imbecile cretin dimwit halfwit braindead scum lowlife worthless pathetic');
lexicon('insult', 2.5, 'stupid dumb loser losers ugly trash jerk creep clown fool fools');
lexicon('insult', 1.2, 'garbage disgusting useless ignorant');
lexicon('obscene', 3, 'fuck fucking fucker motherfucker cunt');
lexicon('obscene', 2.2, 'shit bullshit asshole bitch bastard dick prick wanker twat');
lexicon('obscene', 1, 'crap piss damn');
lexicon('threat', 1.5, 'kill murder shoot stab strangle beat hurt destroy');

/** Multi-word rules, matched on the folded word sequence. */
const PHRASES: { words: string[]; weights: Weights }[] = [
  { words: ['kill', 'yourself'], weights: { threat: 4, insult: 2 } },
  { words: ['kys'], weights: { threat: 4, insult: 2 } },
  { words: ['i', 'will', 'kill'], weights: { threat: 4 } },
  { words: ['gonna', 'kill'], weights: { threat: 3.5 } },
  { words: ['going', 'to', 'kill'], weights: { threat: 3.5 } },
  { words: ['i', 'will', 'find', 'you'], weights: { threat: 3 } },
  { words: ['watch', 'your', 'back'], weights: { threat: 2.5 } },
  { words: ['you', 'deserve', 'to', 'die'], weights: { threat: 4, insult: 2 } },
  { words: ['shut', 'up'], weights: { insult: 2 } },
  { words: ['go', 'to', 'hell'], weights: { insult: 2.5 } },
  { words: ['nobody', 'likes', 'you'], weights: { insult: 2.5 } },
];

const TARGETS = new Set(['you', "you're", 'youre', 'u', 'ur', 'your', 'yourself', 'ya']);
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
const BIAS: Record<Label, number> = { toxic: -3, insult: -3, obscene: -3.5, threat: -4 };

function fold(word: string): string[] {
  const deleet = /[a-z]/.test(word) ? word.replace(/[013457@$]/g, (c) => LEET[c]!) : word;
  const twice = deleet.replace(/(.)\1{2,}/g, '$1$1');
  const once = deleet.replace(/(.)\1+/g, '$1');
  return twice === once ? [twice] : [twice, once];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function classifyOne(text: string): LabelScores {
  const raw = text.replace(/[@$]/g, (c) => (/[a-z]/i.test(text) ? LEET[c]! : c));
  const tokens = words(raw);
  const folded = tokens.map((w) => fold(w).find((f) => f in LEXICON) ?? fold(w)[0]!);
  const sum: Record<Exclude<Label, 'toxic'>, number> = { insult: 0, obscene: 0, threat: 0 };
  const add = (weights: Weights, scale: number): void => {
    for (const [label, w] of Object.entries(weights) as [keyof Weights, number][]) sum[label] += w * scale;
  };
  const targeted = folded.some((w) => TARGETS.has(w));
  const seen = new Map<string, number>();
  for (const w of folded) {
    const weights = LEXICON[w];
    if (!weights) continue;
    const n = (seen.get(w) ?? 0) + 1;
    seen.set(w, n);
    add(weights, (targeted ? 1.4 : 1) / n); // repeats count less and less
  }
  for (const p of PHRASES) {
    for (let i = 0; i + p.words.length <= folded.length; i++) {
      if (p.words.every((w, j) => folded[i + j] === w)) {
        add(p.weights, 1);
        break;
      }
    }
  }
  const letters = text.replace(/[^\p{L}]/gu, '');
  const shouting = letters.length >= 8 && letters === letters.toUpperCase() && letters !== letters.toLowerCase() ? 0.7 : 0;
  const anyHit = sum.insult + sum.obscene + sum.threat;
  return {
    toxic: sigmoid(BIAS.toxic + anyHit + (anyHit > 0 ? shouting : 0)),
    insult: sigmoid(BIAS.insult + sum.insult + (sum.insult > 0 ? shouting : 0)),
    obscene: sigmoid(BIAS.obscene + sum.obscene),
    threat: sigmoid(BIAS.threat + sum.threat),
  };
}
