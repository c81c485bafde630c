import type { DecisionRecord, HamletPolicyEngine } from '../../policies/index.ts';
import type { Endpoint } from './endpoint.ts';
import { invalid } from './respond.ts';

const SCANNED = 5000;
const SHOWN = 200;
const STAGES = ['connection', 'write', 'read', 'broadcast', 'auth'] as const;

/** Words a search matches: every field a moderator would look a decision up by. */
const haystack = (r: DecisionRecord): string =>
  [r.action, r.stage, r.policy, r.rule, r.reason, r.eventId, r.pubkey, r.moderator, r.model, r.ip, r.kind, ...(r.labels ?? []).map((l) => JSON.stringify(l))]
    .filter((x) => x !== undefined)
    .join(' ')
    .toLowerCase();

/**
 * GET /api/decisions?q=&action=&stage=&days=: the decision log, newest first; `q` holds words
 * that must all appear (rule, policy, reason, event id, pubkey, moderator...).
 */
export function decisionsEndpoint(engine: HamletPolicyEngine): Endpoint {
  return {
    method: 'GET',
    path: 'decisions',
    role: 'moderator',
    handle({ query }) {
      const stage = query.get('stage') || undefined;
      if (stage && !(STAGES as readonly string[]).includes(stage)) throw invalid(`stage must be one of ${STAGES.join(', ')}`);
      const days = Number(query.get('days') || '30');
      if (!Number.isFinite(days) || days <= 0) throw invalid('days must be a positive number');
      const words = (query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const action = (query.get('action') || undefined) as DecisionRecord['action'] | undefined;
      const records = engine.listDecisions({ since: Date.now() - days * 86_400_000, stage: stage as DecisionRecord['stage'] | undefined, action, limit: SCANNED });
      const found = words.length ? records.filter((r) => words.every((w) => haystack(r).includes(w))) : records;
      return { decisions: found.slice(0, SHOWN), matched: found.length, scanned: records.length };
    },
  };
}
