import type { Database, RootDatabase } from 'lmdb';
import type { Case, CaseStatus } from './case.ts';
import { NO_RECORD, type TrackRecord } from './weight.ts';

/**
 * Cases and reporters' track records in the relay's LMDB (named databases `moderation-cases`,
 * `moderation-reporters`). Writes are asynchronous; what is written but not yet committed is
 * served from memory, so a case read right after a change sees it. Reads otherwise go to LMDB,
 * so a decision taken by another process (`hamlet moderation decide`) is seen at once.
 */
export class CaseStore {
  private readonly cases: Database<Case, string>;
  private readonly reporters: Database<TrackRecord, string>;
  private readonly pendingCases = new Map<string, Case>();
  private readonly pendingReporters = new Map<string, TrackRecord>();
  private readonly writes = new Set<Promise<unknown>>();

  constructor(env: RootDatabase) {
    this.cases = env.openDB<Case, string>({ name: 'moderation-cases' });
    this.reporters = env.openDB<TrackRecord, string>({ name: 'moderation-reporters' });
  }

  get(id: string): Case | undefined {
    return structuredClone(this.pendingCases.get(id) ?? this.cases.get(id));
  }

  put(c: Case): void {
    const copy = structuredClone(c);
    this.pendingCases.set(c.id, copy);
    this.track(this.cases.put(c.id, copy), () => this.pendingCases.get(c.id) === copy && this.pendingCases.delete(c.id));
  }

  /** Cases, newest opened first, optionally of some statuses. */
  list(q: { status?: readonly CaseStatus[]; limit?: number } = {}): Case[] {
    const byId = new Map<string, Case>();
    for (const { key, value } of this.cases.getRange()) byId.set(key, value);
    for (const [id, c] of this.pendingCases) byId.set(id, c);
    return [...byId.values()]
      .filter((c) => !q.status || q.status.includes(c.status))
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, q.limit ?? Infinity)
      .map((c) => structuredClone(c));
  }

  reporter(pubkey: string): TrackRecord {
    return this.pendingReporters.get(pubkey) ?? this.reporters.get(pubkey) ?? NO_RECORD;
  }

  updateReporter(pubkey: string, change: (r: TrackRecord) => TrackRecord): TrackRecord {
    const next = change({ ...this.reporter(pubkey) });
    this.pendingReporters.set(pubkey, next);
    this.track(this.reporters.put(pubkey, next), () => this.pendingReporters.get(pubkey) === next && this.pendingReporters.delete(pubkey));
    return next;
  }

  /** Every reporter with a record. */
  allReporters(): Map<string, TrackRecord> {
    const out = new Map<string, TrackRecord>();
    for (const { key, value } of this.reporters.getRange()) out.set(key, value);
    for (const [k, v] of this.pendingReporters) out.set(k, v);
    return out;
  }

  /** Resolves once every write so far is committed. */
  async flushed(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private track(write: Promise<unknown>, done: () => unknown): void {
    const p = write.then(done, done);
    this.writes.add(p);
    void p.finally(() => this.writes.delete(p));
  }
}
