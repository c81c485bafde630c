import type { Database, RootDatabase } from 'lmdb';
import type { Stage } from './policy.ts';
import type { Label } from '../relay/policy.ts';

/** One non-accept (or failed) decision, as a moderator (or the member it concerns) reads it. */
export interface DecisionRecord {
  /** Unix ms. */
  at: number;
  stage: Stage;
  /** 'accept' only with `failed`: a failing policy whose onError let the event through. */
  action: 'accept' | 'reject' | 'shadowReject' | 'hold' | 'label' | 'allow' | 'ban' | 'hide' | 'uphold' | 'overturn' | 'appeal';
  policy: string;
  rule?: string;
  reason?: string;
  labels?: Label[];
  eventId?: string;
  pubkey?: string;
  kind?: number;
  ip?: string;
  model?: string;
  modelVersion?: string;
  score?: number;
  /** Set when the decision came from a policy's fail mode rather than its judgement. */
  failed?: string;
  /** Rate-limited decisions folded into this one since the previous record of the same kind. */
  repeats?: number;
  /** Who decided, for moderator actions (allow/ban). */
  moderator?: string;
}

export interface DecisionQuery {
  /** Unix ms bounds, inclusive. */
  since?: number;
  until?: number;
  stage?: Stage;
  action?: DecisionRecord['action'];
  policy?: string;
  rule?: string;
  pubkey?: string;
  eventId?: string;
  /** Newest first; default 100. */
  limit?: number;
}

// Keys: [0, at, seq] → record; [1, eventId, at, seq] → null (index for "why was this event...").
type Key = [0, number, number] | [1, string, number, number];

/**
 * The audit log of moderation decisions, in its own LMDB database. Writes are asynchronous
 * (lmdb batches them), so recording never waits on disk on the ingest path.
 */
export class DecisionLog {
  private readonly db: Database<DecisionRecord | null, Key>;
  private seq = 0;

  constructor(env: RootDatabase) {
    this.db = env.openDB<DecisionRecord | null, Key>({ name: 'policy-decisions' });
  }

  record(rec: DecisionRecord): Promise<unknown> {
    const seq = this.seq++ & 0xffffffff;
    const clean = Object.fromEntries(Object.entries(rec).filter(([, v]) => v !== undefined)) as unknown as DecisionRecord;
    const writes = [this.db.put([0, rec.at, seq], clean)];
    if (rec.eventId) writes.push(this.db.put([1, rec.eventId, rec.at, seq], null));
    return Promise.all(writes);
  }

  /** Decisions matching every given field, newest first. */
  list(q: DecisionQuery = {}): DecisionRecord[] {
    const limit = q.limit ?? 100;
    const out: DecisionRecord[] = [];
    const match = (r: DecisionRecord) =>
      (q.stage === undefined || r.stage === q.stage) &&
      (q.action === undefined || r.action === q.action) &&
      (q.policy === undefined || r.policy === q.policy) &&
      (q.rule === undefined || r.rule === q.rule) &&
      (q.pubkey === undefined || r.pubkey === q.pubkey) &&
      (q.eventId === undefined || r.eventId === q.eventId) &&
      (q.since === undefined || r.at >= q.since) &&
      (q.until === undefined || r.at <= q.until);
    if (q.eventId) {
      const range = this.db.getRange({ start: [1, q.eventId, q.until ?? Number.MAX_SAFE_INTEGER, Infinity] as never, end: [1, q.eventId, q.since ?? 0, -1] as never, reverse: true });
      for (const { key } of range) {
        const [, , at, seq] = key as [1, string, number, number];
        const r = this.db.get([0, at, seq]);
        if (r && match(r)) out.push(r);
        if (out.length >= limit) break;
      }
      return out;
    }
    const range = this.db.getRange({ start: [0, q.until ?? Number.MAX_SAFE_INTEGER, Infinity] as never, end: [0, q.since ?? 0, -1] as never, reverse: true });
    for (const { value } of range) {
      if (value && match(value)) out.push(value);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Drops records older than `before` (unix ms); returns how many. */
  async prune(before: number): Promise<number> {
    let n = 0;
    const doomed: Key[] = [];
    for (const { key, value } of this.db.getRange({ start: [0, 0, -1] as never, end: [0, before, -1] as never })) {
      doomed.push(key);
      if (value?.eventId) doomed.push([1, value.eventId, value.at, (key as [0, number, number])[2]]);
      n++;
    }
    await this.db.transaction(() => {
      for (const k of doomed) this.db.remove(k);
    });
    return n;
  }
}
