import { existsSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Config } from '../../config/schema.ts';
import { openStore } from '../../relay/core.ts';
import { checkDatabasePresent, databaseFiles, finishInterruptedCompaction, syncDir, syncFile } from '../../relay/store/dataFiles.ts';
import { UsageError } from './filter.ts';

/** The LMDB file of a data directory (see relay/store/dataFiles.ts). */
export const eventsFile = (dataDir: string): string => databaseFiles(dataDir).db;

/**
 * Other processes that have the file mapped (Linux: /proc/<pid>/maps). undefined where
 * /proc cannot tell (other systems): the caller must decide without it.
 */
export function processesUsing(file: string): number[] | undefined {
  if (!existsSync('/proc/self/maps')) return undefined;
  const target = realpathSync(file);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/maps`, 'utf8').includes(target)) pids.push(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

export interface CompactResult {
  beforeBytes: number;
  afterBytes: number;
  /** Where the previous file was kept, with keepOld. */
  oldFile?: string;
  /** An earlier compaction that this run found interrupted and finished first. */
  recovered?: string;
}

/**
 * Copies the LMDB environment with compaction (lmdb's env.copy with MDB_CP_COMPACT: live
 * pages only, free pages dropped) to a new file, then swaps it in. Swapping under a running
 * relay would leave it writing to the old file, so it refuses while another process has the
 * file open.
 *
 * Crash safety: the copy is written as `.compacting`, flushed, and only then renamed `.compact`,
 * so a `.compact` file is always whole. The swap is two renames (database → `.old`, `.compact` →
 * database); a crash between them leaves no database but a whole `.compact`, which the next open
 * (or the next compact) renames into place. Leftovers from a crash before the swap are deleted.
 */
export async function compactDataDir(config: Config, opts: { keepOld?: boolean; force?: boolean } = {}): Promise<CompactResult> {
  const dir = config.storage.dataDir;
  const f = databaseFiles(dir);
  const recovered = finishInterruptedCompaction(dir);
  checkDatabasePresent(dir, true);
  const assertAlone = () => {
    const users = processesUsing(f.db);
    if (users === undefined && !opts.force) throw new UsageError('cannot tell whether the relay is running on this system; stop it and pass --force');
    if (users && users.length > 0) throw new UsageError(`the database is open in process ${users.join(', ')} (the relay?): stop it first`);
  };
  assertAlone();
  // With a database in place these are copies from a run that stopped before its swap.
  rmSync(f.compacting, { force: true });
  rmSync(f.compacted, { force: true });
  const beforeBytes = statSync(f.db).size;
  const store = openStore(config, { mustExist: true });
  try {
    await store.env.backup(f.compacting, true);
  } finally {
    await store.close();
  }
  syncFile(f.compacting);
  renameSync(f.compacting, f.compacted);
  syncDir(dir);
  assertAlone();
  renameSync(f.db, f.old);
  renameSync(f.compacted, f.db);
  // The lock file describes readers of the old file; LMDB rebuilds it on the next open.
  rmSync(f.lock, { force: true });
  syncDir(dir);
  if (!opts.keepOld) rmSync(f.old, { force: true });
  return { beforeBytes, afterBytes: statSync(f.db).size, oldFile: opts.keepOld ? f.old : undefined, recovered };
}
