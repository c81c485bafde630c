import type { CaseStatus, Outcome, VillageModeration } from '../../moderation/index.ts';
// Not through moderation/index.ts: with moderation off the relay loads none of it (cli/hamlet.ts).
import { DecisionRefused } from '../../moderation/decide.ts';
import { isHex64 } from '../../relay/nostr/hex.ts';
import type { Relay } from '../../relay/relay.ts';
import { caseRow, caseView } from './caseView.ts';
import type { Endpoint } from './endpoint.ts';
import { ApiError, invalid } from './respond.ts';

const STATUSES: readonly CaseStatus[] = ['open', 'decided', 'appealed', 'final'];
const OUTCOMES: readonly Outcome[] = ['uphold', 'overturn'];

function caseId(v: unknown): string {
  if (typeof v === 'string' && isHex64(v.toLowerCase())) return v.toLowerCase();
  throw invalid('id must be a case (its event id, 64 hex characters)');
}

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined);

/** The moderation queue: GET cases?status=open,appealed, GET case?id=, POST cases/decide. */
export function caseEndpoints(relay: Relay, village: VillageModeration): Endpoint[] {
  return [
    {
      method: 'GET',
      path: 'cases',
      role: 'moderator',
      handle({ query }) {
        const wanted = (query.get('status') ?? '').split(',').filter(Boolean);
        const bad = wanted.find((s) => !STATUSES.includes(s as CaseStatus));
        if (bad) throw invalid(`status must be among ${STATUSES.join(', ')}`);
        const cases = village.listCases({ status: wanted.length ? (wanted as CaseStatus[]) : undefined, limit: 500 });
        return { cases: cases.map((c) => caseRow(c, relay.config)) };
      },
    },
    {
      method: 'GET',
      path: 'case',
      role: 'moderator',
      handle({ query }) {
        const c = village.getCase(caseId(query.get('id')));
        if (!c) throw new ApiError(404, 'invalid: there is no case about this event');
        return { case: caseView(c, relay.config) };
      },
    },
    {
      method: 'POST',
      path: 'cases/decide',
      role: 'moderator',
      handle({ body, pubkey }) {
        const id = caseId(body.id);
        if (!OUTCOMES.includes(body.outcome as Outcome)) throw invalid('outcome must be "uphold" or "overturn"');
        try {
          const c = village.decide(id, { outcome: body.outcome as Outcome, by: 'moderator', moderator: pubkey, note: text(body.note, 2000), rule: text(body.rule, 64) });
          return { status: c.status, visibility: c.visibility };
        } catch (err) {
          if (err instanceof DecisionRefused) throw new ApiError(409, `blocked: ${err.message}`);
          throw err;
        }
      },
    },
  ];
}
