import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { openStore } from '../../relay/core.ts';
import { databaseFiles, DataDirError, NoDatabaseError, syncDir, syncFile } from '../../relay/store/dataFiles.ts';
import { UsageError } from './filter.ts';

export interface CopyResult {
  /** Events in the copy. */
  events: number;
  /** Size of the copied database file. */
  bytes: number;
  /** Other entries of the data directory copied beside it (keys, models). */
  others: string[];
}

/** The database's own files (and compaction leftovers), which are never copied as plain files. */
const isDatabaseFile = (name: string): boolean => name === 'events.lmdb' || name.startsWith('events.lmdb-') || name.startsWith('events.lmdb.');

/** Copies the rest of a data directory (keys, models, ...) without overwriting anything already there. */
function copyOthers(from: string, to: string, skip: (path: string) => boolean): string[] {
  const copied: string[] = [];
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (isDatabaseFile(name) || skip(path)) continue;
    cpSync(path, join(to, name), { recursive: true, force: false, errorOnExist: false, preserveTimestamps: true });
    copied.push(name);
  }
  return copied.sort();
}

/** Opens a copied database to prove it reads, and counts its events. */
async function countEvents(config: Config, dataDir: string): Promise<number> {
  const store = openStore({ ...config, storage: { ...config.storage, dataDir } }, { mustExist: true });
  try {
    return store.tables.events.getCount();
  } finally {
    await store.close();
  }
}

/**
 * A consistent copy of a data directory, safe while the relay runs: LMDB copies the database
 * from one read transaction (with compaction, so free pages are left out), and the other state
 * (DVM and labeler keys, models) is copied beside it. The copy is written under a temporary name
 * and renamed once flushed, so `outDir` never holds half a database.
 */
export async function backupDataDir(config: Config, outDir: string, opts: { skipModels?: boolean } = {}): Promise<CopyResult> {
  const dataDir = config.storage.dataDir;
  const out = databaseFiles(outDir);
  if (resolve(outDir) === resolve(dataDir)) throw new UsageError('--out must be another directory than the data directory');
  if (existsSync(out.db)) throw new UsageError(`${outDir} already holds a database: back up into a new or empty directory`);
  const store = openStore(config, { mustExist: true });
  const partial = `${out.db}.partial`;
  try {
    mkdirSync(outDir, { recursive: true });
    rmSync(partial, { force: true });
    await store.env.backup(partial, true);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new DataDirError(`cannot write the backup in ${outDir}: ${(err as Error).message}`);
  } finally {
    await store.close();
  }
  syncFile(partial);
  renameSync(partial, out.db);
  syncDir(outDir);
  const models = resolve(config.models.dir);
  const others = copyOthers(dataDir, outDir, (path) => opts.skipModels === true && resolve(path) === models);
  return { events: await countEvents(config, outDir), bytes: statSync(out.db).size, others };
}

/**
 * Puts a backup in place as the data directory's database. Never overwrites one: a directory
 * that holds a database, or the pieces a compaction leaves, is refused. Run it with the relay
 * stopped; the restored copy is opened once to check it.
 */
export async function restoreDataDir(config: Config, fromDir: string): Promise<CopyResult> {
  const dataDir = config.storage.dataDir;
  const from = databaseFiles(fromDir);
  const to = databaseFiles(dataDir);
  if (!existsSync(from.db)) throw new NoDatabaseError(fromDir);
  if (resolve(fromDir) === resolve(dataDir)) throw new UsageError('the backup is the data directory itself: nothing to restore');
  const present = [to.db, to.compacted, to.old].filter((f) => existsSync(f));
  if (present.length > 0) {
    throw new UsageError(`${dataDir} already has a database (${present.map((f) => basename(f)).join(', ')}): restore never overwrites one; move it away first`);
  }
  const partial = `${to.db}.partial`;
  try {
    mkdirSync(dataDir, { recursive: true });
    copyFileSync(from.db, partial);
    syncFile(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new DataDirError(`cannot restore into ${dataDir}: ${(err as Error).message}`);
  }
  renameSync(partial, to.db);
  // A lock file left by the lost database describes no reader of this one.
  rmSync(to.lock, { force: true });
  syncDir(dataDir);
  const others = copyOthers(fromDir, dataDir, () => false);
  return { events: await countEvents(config, dataDir), bytes: statSync(to.db).size, others };
}
