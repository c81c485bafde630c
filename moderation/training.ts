import { trainHead, type Embedder, type Example, type ModelCard } from '../models/index.ts';
import { lastDecision, type Case } from './case.ts';
import { HeadRegistry, type HeadVersion } from './headRegistry.ts';

/** The head's two labels: what the village decided to keep hidden, and what it kept (or restored). */
export const HIDE = 'hide';
export const KEEP = 'keep';

export interface Outcome {
  id: string;
  text: string;
  label: typeof HIDE | typeof KEEP;
  rule: string;
  /** Unix seconds of the event. */
  createdAt: number;
  by: string;
}

/** A decision is final once a jury or a moderator after an appeal decided, or its appeal window closed unused. */
export function isFinal(c: Case, now: number): boolean {
  const d = lastDecision(c);
  if (!d) return false;
  return c.status === 'final' || (c.status === 'decided' && d.appealUntil !== undefined && now > d.appealUntil);
}

/** The training set: every final decision, the event's text with hide (upheld) or keep (overturned). */
export function outcomes(cases: readonly Case[], now = Date.now()): Outcome[] {
  return cases
    .filter((c) => isFinal(c, now) && c.event.content.trim() !== '')
    .map((c) => {
      const d = lastDecision(c)!;
      return { id: c.id, text: c.event.content, label: d.outcome === 'uphold' ? HIDE : KEEP, rule: d.rule, createdAt: c.event.created_at, by: d.by };
    });
}

export interface TrainedVersion {
  version: HeadVersion;
  card: ModelCard;
}

/**
 * `hamlet train moderation`: trains a new version of the village moderation head on the final
 * decisions, with its model card, and registers it as pending: it scores nothing until an
 * operator approves it (`hamlet moderation model approve`).
 */
export async function trainModerationHead(o: { cases: readonly Case[]; embedder: Embedder; registry: HeadRegistry; seed?: number; now?: number }): Promise<TrainedVersion> {
  const data = outcomes(o.cases, o.now);
  const counts = { [HIDE]: data.filter((d) => d.label === HIDE).length, [KEEP]: data.filter((d) => d.label === KEEP).length };
  if (counts[HIDE] < 2 || counts[KEEP] < 2) {
    throw new Error(`not enough final decisions to train on: ${counts[HIDE]} upheld and ${counts[KEEP]} overturned (at least 2 of each)`);
  }
  const vectors = await o.embedder.embed(data.map((d) => d.text));
  const examples: Example[] = data.map((d, i) => ({ vector: vectors[i]!, labels: [d.label], id: d.id, createdAt: d.createdAt }));
  const next = o.registry.nextVersion();
  const { card } = trainHead({
    name: o.registry.fileName(next),
    kind: 'logistic',
    examples,
    baseModel: o.embedder.info,
    source: `village moderation: ${data.length} final decisions (upheld → ${HIDE}, overturned → ${KEEP})`,
    seed: o.seed ?? 1,
    outDir: o.registry.dir,
  });
  const version = o.registry.add(next, card);
  return { version, card };
}
