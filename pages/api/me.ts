import type { VillageModeration } from '../../moderation/index.ts';
import type { Relay } from '../../relay/relay.ts';
import { caseView } from './caseView.ts';
import type { Endpoint } from './endpoint.ts';

/**
 * The member page's own API, each call about the signer only, so open to any signed-in key (an
 * author outside the web of trust still appeals): GET me (roles), GET me/cases
 * (cases about my posts, with decisions and appeal), GET me/jury (appeals I was drawn for).
 */
export function meEndpoints(relay: Relay, village?: VillageModeration): Endpoint[] {
  const cases = () => village?.listCases({ limit: 10_000 }) ?? [];
  return [
    {
      method: 'GET',
      path: 'me',
      role: 'signed',
      handle: ({ pubkey, roles }) => ({ pubkey, roles: [...roles], moderation: village !== undefined, appealDays: relay.config.moderation.appealDays }),
    },
    {
      method: 'GET',
      path: 'me/cases',
      role: 'signed',
      handle: ({ pubkey }) => ({
        // An author sees their own event whole: the privacy of a private kind is theirs.
        // Reporters and jurors stay anonymous to the author: types, times and counts only.
        cases: cases()
          .filter((c) => c.event.pubkey === pubkey)
          .map((c) => ({
            id: c.id,
            event: c.event,
            rule: c.rule,
            rulebookVersion: c.rulebookVersion,
            status: c.status,
            visibility: c.visibility,
            openedAt: c.openedAt,
            reports: c.reports.map(({ type, at }) => ({ type, at })),
            decisions: c.decisions.map(({ outcome, rule, by, note, at, appealUntil }) => ({ outcome, rule, by, note, at, appealUntil })),
            appeal: c.appeal && { at: c.appeal.at, reason: c.appeal.reason, receiptId: c.appeal.receiptId, deadline: c.appeal.deadline, jurors: c.appeal.jury.length, votes: Object.keys(c.appeal.votes).length },
          })),
      }),
    },
    {
      method: 'GET',
      path: 'me/jury',
      role: 'signed',
      handle: ({ pubkey }) => ({
        duties: cases()
          .filter((c) => c.appeal?.jury.includes(pubkey))
          .map((c) => {
            const v = caseView(c, relay.config);
            const a = c.appeal!;
            return {
              id: v.id,
              event: v.event,
              rule: v.rule,
              status: v.status,
              decisions: v.decisions.map(({ outcome, rule, by, note, at }) => ({ outcome, rule, by, note, at })),
              appeal: { reason: a.reason, at: a.at, deadline: a.deadline, jurors: a.jury.length, votes: Object.keys(a.votes).length },
              myVote: a.votes[pubkey]?.vote,
            };
          }),
      }),
    },
  ];
}
