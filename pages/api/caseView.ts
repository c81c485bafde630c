import type { Case } from '../../moderation/index.ts';
import { PRIVATE_KINDS } from '../../relay/nostr/kinds.ts';
import type { Config } from '../../config/schema.ts';

/** A case as the pages show it: private kinds keep their content to their parties. */
export function caseView(c: Case, config: Config): Case & { private?: true } {
  const hidden = PRIVATE_KINDS.includes(c.event.kind) || config.nips.restrictedKinds.includes(c.event.kind);
  if (!hidden) return c;
  return { ...c, event: { ...c.event, content: '', tags: [] }, private: true };
}

/** One line of the queue: enough to sort and pick, the rest comes with the case. */
export function caseRow(c: Case, config: Config) {
  const v = caseView(c, config);
  return {
    id: v.id,
    pubkey: v.event.pubkey,
    kind: v.event.kind,
    content: v.event.content.slice(0, 280),
    origin: v.origin,
    rule: v.rule,
    score: v.evidence?.score,
    model: v.evidence?.model,
    reports: v.reports.length,
    reportTypes: [...new Set(v.reports.map((r) => r.type))],
    weight: v.weight,
    status: v.status,
    visibility: v.visibility,
    openedAt: v.openedAt,
    appeal: v.appeal && { at: v.appeal.at, jury: v.appeal.jury.length, votes: Object.keys(v.appeal.votes).length, deadline: v.appeal.deadline, communities: v.appeal.communities },
  };
}
