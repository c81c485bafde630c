import { z } from 'zod';
import { defineBuiltin, type ToxicityClassifier } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { kindMatcher, kindSpec } from './shared.ts';

/**
 * Without the relay's models (started without them, or a tool), the built-in lexicon classifier
 * runs in-thread: microseconds per note, no download. Loaded lazily so a village that does not
 * use toxicity never loads models/.
 */
async function builtinClassifier(): Promise<ToxicityClassifier> {
  const { inlineToxicity } = await import('../../models/index.ts');
  return inlineToxicity();
}

const options = z
  .object({
    threshold: z.number().min(0).max(1).default(0.8).describe('Score at or above which `action` applies.'),
    action: z.enum(['reject', 'shadowReject', 'hold', 'label']).default('hold').describe('What a score over threshold does.'),
    labelThreshold: z.number().min(0).max(1).optional().describe('Score at or above which the event is labelled (below threshold).'),
    labels: z.array(z.string()).optional().describe('Which model labels count (default: all the model returns).'),
    kinds: z.array(kindSpec).default([1, 1111, 42, 30023]).describe('Kinds checked.'),
    minLength: z.number().int().min(0).default(3).describe('Shorter contents are not classified.'),
    rule: z.string().default('abuse').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/**
 * Model-based toxicity: the highest score over the chosen labels decides; the decision record
 * carries the model's id, version and score so a member can contest it.
 */
export const toxicity = defineBuiltin({
  name: 'toxicity',
  description: 'Holds, rejects or labels content a local classifier scores as toxic.',
  options,
  create: async (o, ctx) => {
    const model = ctx.classifier ?? (await builtinClassifier());
    const id = model.info?.id ?? model.id ?? 'unknown';
    const version = model.info?.version ?? model.version ?? 'unknown';
    const applies = kindMatcher(o.kinds);
    const counted = o.labels ? new Set(o.labels) : undefined;
    return {
      async write({ event }) {
        if (!applies(event.kind) || event.content.trim().length < o.minLength) return ACCEPT;
        const [scores] = await model.classify([event.content]);
        let top = 0;
        let topLabel = '';
        for (const [label, s] of Object.entries(scores ?? {})) {
          if ((!counted || counted.has(label)) && s > top) {
            top = s;
            topLabel = label;
          }
        }
        const evidence = { model: id, modelVersion: version, score: Number(top.toFixed(4)) };
        const labels = [{ namespace: 'hamlet.toxicity', value: topLabel, score: evidence.score }];
        if (top >= o.threshold) return act(o.action, `blocked: content scored ${topLabel} ${evidence.score} by ${id}`, o.rule, evidence, labels);
        if (o.labelThreshold !== undefined && top >= o.labelThreshold) return act('label', '', o.rule, evidence, labels);
        return ACCEPT;
      },
    };
  },
});
