import type { LabelsConfig } from '../../config/sections/labels.ts';
import type { LabelScores, ModelInfo } from '../../models/index.ts';
import type { ModelRef, TagSuggestion } from '../tags/tagger.ts';
import { CONTENT_WARNING_MODEL, contentWarnings } from './contentWarning.ts';
import type { LabelDecision } from './labelEvent.ts';
import { detectLanguage, languageModelInfo } from './language.ts';
import { NAMESPACES } from './namespaces.ts';
import type { VillageLanguages } from './villageLanguages.ts';

export interface LabelInputs {
  text: string;
  /** Scores of the toxicity model for this text (needed for toxicity and content warnings). */
  toxicity?: LabelScores;
  toxicityModel?: ModelInfo;
  /** The tagger's suggestions for this text, and the models behind them. */
  topics?: TagSuggestion[];
  topicModels?: readonly ModelRef[];
  /** The village's languages: learns from each confident guess and tips near-ties (villageLanguages.ts). */
  villageLanguages?: VillageLanguages;
  /** What the post already says, so a label would only repeat it: its hashtags (`t` tags), and languages not worth a label. */
  known?: { hashtags?: ReadonlySet<string>; languages?: ReadonlySet<string> };
}

type Switches = Pick<LabelsConfig, 'topic' | 'language' | 'contentWarning' | 'toxicity'>;
type Thresholds = Pick<
  LabelsConfig,
  'minTopicScore' | 'toxicityThreshold' | 'contentWarningThreshold' | 'languageMinConfidence' | 'languageMinLength' | 'languages'
> &
  Partial<Pick<LabelsConfig, 'minConfidence'>>;

/** A classifier's negative class ("non-toxic", "neutral", …) is not a label worth publishing. */
const NEGATIVE = /^(non[-_ ]?\w+|not[-_ ]\w+|neutral|normal|clean|safe|ok|none)$/i;

const ranked = (scores: Record<string, number>, min: number) =>
  Object.entries(scores)
    .filter(([label, s]) => s >= min && !NEGATIVE.test(label))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([value, score]) => ({ value, score }));

/**
 * The labels a text earns, one decision per namespace that has any: topics (#t), language
 * (ISO-639-1), content warnings, toxicity; each with its confidences and the models that
 * decided. Only labels that say something: none below its threshold or the confidence floor
 * (`minConfidence`), no topic the post already carries as a hashtag, no language in
 * `known.languages`. Shared by the labeler (stored posts) and the tagging DVM (asked for).
 */
export function decideLabels(x: LabelInputs, on: Switches, c: Thresholds): LabelDecision[] {
  const out: LabelDecision[] = [];
  const floor = (threshold: number) => Math.max(threshold, c.minConfidence ?? 0);
  if (on.topic && x.topics && x.topicModels) {
    const known = x.known?.hashtags;
    const labels = x.topics.filter((t) => t.score >= floor(c.minTopicScore) && !known?.has(t.tag)).map((t) => ({ value: t.tag, score: t.score }));
    if (labels.length) out.push({ namespace: NAMESPACES.topic, labels, models: x.topicModels });
  }
  if (on.language) {
    const lang = detectLanguage(x.text, { languages: c.languages, minLength: c.languageMinLength, village: x.villageLanguages });
    if (lang) x.villageLanguages?.record(lang.iso6393, lang.confidence);
    if (lang && lang.confidence >= floor(c.languageMinConfidence) && !x.known?.languages?.has(lang.code))
      out.push({ namespace: NAMESPACES.language, labels: [{ value: lang.code, score: lang.confidence }], models: [languageModelInfo()] });
  }
  if (on.contentWarning) {
    const labels = ranked(contentWarnings(x.text, x.toxicity), floor(c.contentWarningThreshold));
    const models = x.toxicityModel ? [CONTENT_WARNING_MODEL, x.toxicityModel] : [CONTENT_WARNING_MODEL];
    if (labels.length) out.push({ namespace: NAMESPACES.contentWarning, labels, models });
  }
  if (on.toxicity && x.toxicity && x.toxicityModel) {
    const labels = ranked(x.toxicity, floor(c.toxicityThreshold));
    if (labels.length) out.push({ namespace: NAMESPACES.toxicity, labels, models: [x.toxicityModel] });
  }
  return out;
}
