import { KIND_APPEAL_RECEIPT, KIND_LABEL } from '../relay/nostr/kinds.ts';
import type { Case, DecidedBy, Outcome } from './case.ts';
import type { RuleRef } from './rulebook.ts';
import type { Unsigned } from './publisher.ts';

/** The namespace of decision values, beside the rulebook's namespace (moderation.namespace). */
export const DECISION_NAMESPACE = 'village.hamlet.decision';

/**
 * Decision values: `hidden` / `flagged` are provisional (weighted reports or a holding policy),
 * `upheld` / `overturned` a moderator's or a jury's decision.
 */
export type DecisionValue = 'hidden' | 'flagged' | 'upheld' | 'overturned';

export const decisionValue = (o: Outcome): DecisionValue => (o === 'uphold' ? 'upheld' : 'overturned');

export interface LabelInput {
  c: Case;
  value: DecisionValue;
  by: DecidedBy;
  rule: RuleRef | { id: string; title?: string };
  rulebookVersion: string;
  namespace: string;
  relayUrl: string;
  /** Unix seconds until which the author may appeal, when they may. */
  appealUntil?: number;
  note?: string;
}

/**
 * A decision as a NIP-32 label (kind 1985) signed by the moderation key: the rule in the
 * rulebook's namespace, the decision in DECISION_NAMESPACE, the rulebook version, who decided,
 * and the event (e) and its author (p) it is about.
 */
export function decisionLabel(i: LabelInput): Unsigned {
  const { c } = i;
  const tags = [
    ['L', i.namespace],
    ['l', i.rule.id, i.namespace],
    ['L', DECISION_NAMESPACE],
    ['l', i.value, DECISION_NAMESPACE],
    ['e', c.id, i.relayUrl],
    ['p', c.event.pubkey],
    ['k', String(c.event.kind)],
    ['rulebook', i.rulebookVersion],
    ['decided-by', i.by],
  ];
  if (i.appealUntil !== undefined) tags.push(['appeal-until', String(i.appealUntil)]);
  tags.push(['alt', `Village moderation decision: ${i.value} under rule ${i.rule.id}`]);
  const title = i.rule.title ? ` ("${i.rule.title}")` : '';
  const content = `${i.value} by ${i.by} under rule ${i.rule.id}${title}, rulebook ${i.rulebookVersion}${i.note ? `: ${i.note}` : ''}`;
  return { kind: KIND_LABEL, tags, content };
}

/** The signed receipt of an appeal (kind 4561): the appeal, the case, the jury's size and deadline. */
export function appealReceipt(c: Case, relayUrl: string): Unsigned {
  const a = c.appeal!;
  const deadline = Math.floor(a.deadline / 1000);
  const who = a.jury.length > 0 ? `a jury of ${a.jury.length} members drawn from ${a.communities} communities` : 'a moderator (no jury could be drawn)';
  return {
    kind: KIND_APPEAL_RECEIPT,
    tags: [
      ['e', a.id, relayUrl, 'appeal'],
      ['e', c.id, relayUrl, 'case'],
      ['p', c.event.pubkey],
      ['jury', String(a.jury.length)],
      ['deadline', String(deadline)],
      ['alt', 'Receipt of an appeal against a village moderation decision'],
    ],
    content: `Appeal received. ${who} will decide by ${new Date(a.deadline).toISOString()}.`,
  };
}
