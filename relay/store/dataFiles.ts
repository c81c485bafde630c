import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files of a data directory's database. `hamlet compact` writes its copy as `compacting`,
 * renames it `compacted` once complete and flushed, then swaps: `db` → `old`, `compacted` → `db`.
 * So a `compacted` file is always a whole database, and a directory with one but no `db` was
 * stopped between the two renames.
 */
export interface DatabaseFiles {
  db: string;
  /** LMDB's lock file: it outlives the process, so it shows a database was opened here. */
  lock: string;
  compacting: string;
  compacted: string;
  old: string;
}

export function databaseFiles(dataDir: string): DatabaseFiles {
  const db = join(dataDir, 'events.lmdb');
  return { db, lock: `${db}-lock`, compacting: `${db}.compacting`, compacted: `${db}.compact`, old: `${db}.old` };
}

/** A problem with the data directory the operator must see as one line (never a stack trace). */
export class DataDirError extends Error {}

/** The directory has no database, and the command only reads (or edits) an existing one. */
export class NoDatabaseError extends DataDirError {
  constructor(readonly dataDir: string) {
    super(`no Hamlet database in ${dataDir}`);
  }
}

/**
 * Finishes a compaction that stopped between its two renames: the compacted copy becomes the
 * database (the original stays at `old`). Returns what it did, for the log.
 */
export function finishInterruptedCompaction(dataDir: string): string | undefined {
  const f = databaseFiles(dataDir);
  if (existsSync(f.db) || !existsSync(f.compacted)) return undefined;
  try {
    renameSync(f.compacted, f.db);
  } catch (err) {
    // A compaction still running in another process made the same rename first.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(f.db)) return undefined;
    throw new DataDirError(`cannot finish the interrupted compaction in ${dataDir}: ${(err as Error).message}`);
  }
  rmSync(f.lock, { force: true });
  syncDir(dataDir);
  return `finished a compaction that was interrupted: ${f.compacted} is now ${f.db}${existsSync(f.old) ? ` (the file before it is kept at ${f.old}; delete it when satisfied)` : ''}`;
}

/**
 * Before a database is opened: refuses to create an empty one where the files say one was
 * (its lock file, or the original a compaction set aside), and with `mustExist` where there is
 * none at all.
 */
export function checkDatabasePresent(dataDir: string, mustExist: boolean): void {
  const f = databaseFiles(dataDir);
  if (existsSync(f.db)) return;
  if (existsSync(f.old)) {
    throw new DataDirError(
      `${f.db} is missing but ${f.old} is there (set aside by hamlet compact): rename it to events.lmdb to use it, or move it away to start an empty database`,
    );
  }
  if (existsSync(f.lock)) {
    throw new DataDirError(
      `${f.db} is missing but its lock file is there, so a database was here: restore it (see hamlet restore), or delete ${f.lock} to start an empty database`,
    );
  }
  if (mustExist) throw new NoDatabaseError(dataDir);
}

/** Flushes a file's data to disk before it is renamed into place. */
export function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes renames in a directory durable (Linux; elsewhere opening a directory may fail: skipped). */
export function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // not supported for directories here
  } finally {
    closeSync(fd);
  }
}
