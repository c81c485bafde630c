import type { Database, RootDatabase } from 'lmdb';
import type { Group } from './group.ts';

/**
 * Every group hosted here, in the relay's LMDB (named database `groups`), keyed by group id, and
 * in memory for the write and read checks. A change is served from memory at once and committed
 * asynchronously; deleted groups keep their record, so a restart finds them deleted and their id
 * is not reused. The CLI opens the same table read-only through `readGroups`.
 */
export class GroupState {
  private readonly db: Database<Group, string>;
  private readonly groups = new Map<string, Group>();
  private readonly writes = new Set<Promise<unknown>>();

  constructor(env: RootDatabase) {
    this.db = openGroupsDb(env);
    for (const { key, value } of this.db.getRange()) this.groups.set(key, value);
  }

  get(id: string): Group | undefined {
    return this.groups.get(id);
  }

  /** Live (not deleted) groups, and deleted ones when asked. */
  list(withDeleted = false): Group[] {
    return [...this.groups.values()].filter((g) => withDeleted || !g.deleted);
  }

  /** Any private or hidden group: the read checks only look at events when one exists. */
  anyRestricted(): boolean {
    for (const g of this.groups.values()) if (g.private || g.hidden || g.deleted) return true;
    return false;
  }

  put(g: Group): void {
    const copy = structuredClone(g);
    this.groups.set(g.id, copy);
    const p = this.db.put(g.id, copy).catch(() => undefined);
    this.writes.add(p);
    void p.finally(() => this.writes.delete(p));
  }

  /** Resolves once every change so far is committed. */
  async flushed(): Promise<void> {
    await Promise.all([...this.writes]);
  }
}

const openGroupsDb = (env: RootDatabase): Database<Group, string> => env.openDB<Group, string>({ name: 'groups' });

/** The groups of a database, as stored (for the CLI and the dataset export, which run without the relay). */
export function readGroups(env: RootDatabase): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const { key, value } of openGroupsDb(env).getRange()) out.set(key, value);
  return out;
}
