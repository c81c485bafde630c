import semver from 'semver';

/** What a new build changes against the last published version. */
export interface Changes {
  previous?: string;
  added: string[];
  removed: string[];
  /** Records whose author chose another licence since. */
  relicensed: string[];
}

/** The ids added, removed and relicensed between two sets of [id, licence]. */
export function diff(previous: ReadonlyMap<string, string> | undefined, next: ReadonlyMap<string, string>, previousVersion?: string): Changes {
  const added: string[] = [];
  const removed: string[] = [];
  const relicensed: string[] = [];
  for (const [id, license] of next) {
    const before = previous?.get(id);
    if (before === undefined) added.push(id);
    else if (before !== license) relicensed.push(id);
  }
  for (const id of previous?.keys() ?? []) if (!next.has(id)) removed.push(id);
  return { previous: previousVersion, added: added.sort(), removed: removed.sort(), relicensed: relicensed.sort() };
}

/**
 * The next semantic version (Croissant's versioning rules): records removed (a withdrawal, a
 * deletion, a vanish, a moderation) make a new major version, since the old one can no longer be
 * used as it was; records added or relicensed a minor one; nothing changed, none (undefined).
 */
export function nextVersion(changes: Changes): string | undefined {
  if (changes.previous === undefined) return '1.0.0';
  if (changes.removed.length > 0) return semver.inc(changes.previous, 'major')!;
  if (changes.added.length > 0 || changes.relicensed.length > 0) return semver.inc(changes.previous, 'minor')!;
  return undefined;
}
