import type { Method } from '../relay/management/methods.ts';
import { RpcError } from '../relay/management/rpc.ts';
import { isHex64 } from '../relay/nostr/hex.ts';
import { OUTCOMES, type CaseStatus, type Outcome } from './case.ts';
import { DecisionRefused } from './decide.ts';
import type { VillageModeration } from './village.ts';

const STATUSES: readonly CaseStatus[] = ['open', 'decided', 'appealed', 'final'];

function caseId(v: unknown): string {
  if (typeof v === 'string' && isHex64(v.toLowerCase())) return v.toLowerCase();
  throw new RpcError('invalid: the first param must be a case (its event id, 64 hex characters)');
}
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * NIP-86 methods for the village's case queue, beside the standard ones (admins only, NIP-98):
 * `listcases [status]`, `getcase <id>`, `decidecase <id> uphold|overturn [note] [rule]` (the
 * admin's pubkey is recorded as the moderator), `moderationstats`.
 */
export function caseMethods(village: VillageModeration): Map<string, Method> {
  const methods = new Map<string, Method>();
  methods.set('listcases', ([status]) => {
    if (status !== undefined && !STATUSES.includes(status as CaseStatus)) throw new RpcError(`invalid: status must be one of ${STATUSES.join(', ')}`);
    return village.listCases({ status: status === undefined ? undefined : [status as CaseStatus], limit: 1000 }).map((c) => ({
      id: c.id,
      pubkey: c.event.pubkey,
      kind: c.event.kind,
      origin: c.origin,
      rule: c.rule,
      reports: c.reports.length,
      weight: c.weight,
      status: c.status,
      visibility: c.visibility,
      opened_at: Math.floor(c.openedAt / 1000),
    }));
  });
  methods.set('getcase', ([id]) => {
    const c = village.getCase(caseId(id));
    if (!c) throw new RpcError('invalid: there is no case about this event');
    return c;
  });
  methods.set('decidecase', ([id, outcome, note, rule], admin) => {
    if (!OUTCOMES.includes(outcome as Outcome)) throw new RpcError('invalid: the second param must be "uphold" or "overturn"');
    try {
      const c = village.decide(caseId(id), { outcome: outcome as Outcome, by: 'moderator', moderator: admin, note: text(note), rule: text(rule) });
      return { status: c.status, visibility: c.visibility };
    } catch (err) {
      if (err instanceof DecisionRefused) throw new RpcError(`blocked: ${err.message}`);
      throw err;
    }
  });
  methods.set('moderationstats', () => village.stats());
  return methods;
}
