import type { Database, RootDatabase } from 'lmdb';
import type { RuleRef } from '../moderation/rulebook.ts';
import { rulebookVersion } from '../moderation/rulebook.ts';

/** One version of the village rulebook as it was published or first seen. */
export interface RulebookVersion {
  version: string;
  /** Unix ms. */
  at: number;
  /** The admin who published it, or "file" for a version first seen in the file. */
  by: string;
  note?: string;
  /** The TOML text. */
  text: string;
  rules: number;
}

/**
 * Every rulebook version the relay has served, in its own LMDB table keyed by time, so the
 * console can list versions and show what changed between two. A decision names its version
 * (moderation/rulebook.ts's digest); this table keeps the text behind it.
 */
export class RulebookHistory {
  private readonly db: Database<RulebookVersion, number>;

  constructor(env: RootDatabase) {
    this.db = env.openDB<RulebookVersion, number>({ name: 'pages-rulebook-versions' });
  }

  /** Newest first. */
  list(): RulebookVersion[] {
    return [...this.db.getRange({ reverse: true })].map(({ value }) => value);
  }

  find(version: string): RulebookVersion | undefined {
    return this.list().find((v) => v.version === version);
  }

  /** Records the rules as they are now unless the newest version already is them. */
  async note(rules: readonly RuleRef[], text: string, by: string, note?: string): Promise<RulebookVersion> {
    const version = rulebookVersion(rules);
    const newest = this.list()[0];
    if (newest?.version === version) return newest;
    const at = Math.max(Date.now(), (newest?.at ?? 0) + 1);
    const entry: RulebookVersion = { version, at, by, text, rules: rules.length, ...(note ? { note } : {}) };
    await this.db.put(at, entry);
    return entry;
  }
}
