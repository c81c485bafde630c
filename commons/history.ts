import type { Database, RootDatabase } from 'lmdb';
import semver from 'semver';
import type { Purpose } from './consent.ts';

/** One published version of a dataset, as the relay remembers it (LMDB `commons-datasets`). */
export interface DatasetVersion {
  purpose: Purpose;
  version: string;
  /** Unix seconds. */
  createdAt: number;
  /** Where its files were written. */
  dir: string;
  merkleRoot: string;
  manifestSha256: string;
  /** manifest.json as written (republished with a new status when superseded). */
  manifest: string;
  /** The signed manifest event (kind 30777) as last published, and its created_at (a replacement must be newer). */
  manifestEventId: string;
  manifestEventAt: number;
  /** [event id, author, licence] of every record, sorted by id: what changed, and `hamlet dataset which`. */
  records: [string, string, string][];
  /** Set once a later version replaced this one. */
  supersededBy?: string;
  /** Why: records withdrawn since (then this version should no longer be used), or only added. */
  supersededReason?: 'withdrawal' | 'additions';
}

/** The versions of each purpose's dataset, oldest first. */
export class DatasetHistory {
  private readonly db: Database<DatasetVersion, string>;

  constructor(env: RootDatabase) {
    this.db = env.openDB<DatasetVersion, string>({ name: 'commons-datasets' });
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

  put(v: DatasetVersion): Promise<boolean> {
    return this.db.put(DatasetHistory.key(v.purpose, v.version), v);
  }
}
