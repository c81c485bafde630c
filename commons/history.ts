import type { Database, RootDatabase } from 'lmdb';
import semver from 'semver';
import type { Purpose } from './consent.ts';

/** [event id, author, licence] of one record of a version. */
export type VersionRecord = [string, string, string];

/** One published version of a dataset, as the relay remembers it (LMDB `commons-datasets`). */
export interface DatasetVersion {
  purpose: Purpose;
  version: string;
  /** Unix seconds. */
  createdAt: number;
  /** Where its files were written. */
  dir: string;
  /** Records in it (their list is kept apart: recordsOf). */
  count: number;
  merkleRoot: string;
  manifestSha256: string;
  /** manifest.json as written (republished with a new status when superseded). */
  manifest: string;
  /** The signed manifest event (kind 30777) as last published, and its created_at (a replacement must be newer). */
  manifestEventId: string;
  manifestEventAt: number;
  /** Set once a later version replaced this one. */
  supersededBy?: string;
  /** Why: records withdrawn since (then this version should no longer be used), or only added. */
  supersededReason?: 'withdrawal' | 'additions';
}

/**
 * The versions of each purpose's dataset, oldest first, and each version's records (sorted by
 * id) in a table of their own, so listing versions never decodes every record of every version.
 */
export class DatasetHistory {
  private readonly db: Database<DatasetVersion, string>;
  private readonly records: Database<VersionRecord[], string>;

  constructor(env: RootDatabase) {
    this.db = env.openDB<DatasetVersion, string>({ name: 'commons-datasets' });
    this.records = env.openDB<VersionRecord[], string>({ name: 'commons-dataset-records' });
  }

  private static key = (purpose: string, version: string): string => `${purpose}@${version}`;

  versions(purpose?: Purpose): DatasetVersion[] {
    const out: DatasetVersion[] = [];
    for (const { value } of this.db.getRange({})) if (!purpose || value.purpose === purpose) out.push(value);
    return out.sort((a, b) => (a.purpose === b.purpose ? semver.compare(a.version, b.version) : a.purpose < b.purpose ? -1 : 1));
  }

  latest(purpose: Purpose): DatasetVersion | undefined {
    return this.versions(purpose).at(-1);
  }

  recordsOf(v: Pick<DatasetVersion, 'purpose' | 'version'>): VersionRecord[] {
    return this.records.get(DatasetHistory.key(v.purpose, v.version)) ?? [];
  }

  /** A new version with its records. */
  async add(v: DatasetVersion, records: VersionRecord[]): Promise<void> {
    const key = DatasetHistory.key(v.purpose, v.version);
    await this.records.put(key, records);
    await this.db.put(key, v);
  }

  /** A version's metadata changed (superseded). */
  async update(v: DatasetVersion): Promise<void> {
    await this.db.put(DatasetHistory.key(v.purpose, v.version), v);
  }
}
