import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { ModelRef } from '../tags/tagger.ts';
import type { LabelerKey } from './key.ts';
import { signEvent } from '../../relay/nostr/sign.ts';
import { KIND_LABEL } from '../../relay/nostr/kinds.ts';

export interface LabelDecision {
  /** NIP-32 namespace (`L`); every `l` of the event carries it as its mark. */
  namespace: string;
  labels: { value: string; score: number }[];
  /** The models that decided, in order (e.g. the tagger, then the embedding model it reads). */
  models: readonly ModelRef[];
}

/** Confidences as short decimal strings ("0.937"). */
export const formatScore = (s: number): string => (Math.round(Math.min(1, Math.max(0, s)) * 1000) / 1000).toString();

/**
 * A kind 1985 label event for one stored event and one namespace: the decision record.
 *   ["L", ns], ["l", value, ns, confidence] per label, ["e", target id, relay hint],
 *   ["k", target kind], ["model", id, version] per model, ["alt", ...];
 * content: the same in words. Only `e` targets: a `p` tag would label the author, not the post.
 */
export function labelEvent(key: LabelerKey, target: NostrEvent, d: LabelDecision, relayHint: string, createdAt = Math.floor(Date.now() / 1000)): NostrEvent {
  const tags: string[][] = [
    ['L', d.namespace],
    ...d.labels.map((l) => ['l', l.value, d.namespace, formatScore(l.score)]),
    ['e', target.id, relayHint],
    ['k', String(target.kind)],
    ...d.models.map((m) => ['model', m.id, m.version]),
    ['alt', `Labels (${d.namespace}) for a post, by the village labeler`],
  ];
  const said = d.labels.map((l) => `${l.value} (${formatScore(l.score)})`).join(', ');
  const content = `${d.namespace}: ${said}; by ${d.models.map((m) => `${m.id}@${m.version}`).join(' over ')}`;
  return signEvent({ kind: KIND_LABEL, content, tags, created_at: createdAt }, key.sk);
}
