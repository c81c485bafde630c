import { existsSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { openStore } from '../../relay/core.ts';
import { UsageError } from './filter.ts';

/** The LMDB file of a data directory (see store/env.ts). */
export const eventsFile = (dataDir: string): string => join(dataDir, 'events.lmdb');

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
}

/**
 * Copies the LMDB environment with compaction (lmdb's env.copy with MDB_CP_COMPACT: live
 * pages only, free pages dropped) to a new file, then swaps it in. Swapping under a running
 * relay would leave it writing to the old file, so it refuses while another process has the
 * file open.
 */
export async function compactDataDir(config: Config, opts: { keepOld?: boolean; force?: boolean } = {}): Promise<CompactResult> {
  const file = eventsFile(config.storage.dataDir);
  if (!existsSync(file)) throw new UsageError(`no database at ${file}`);
  const assertAlone = () => {
    const users = processesUsing(file);
    if (users === undefined && !opts.force) throw new UsageError('cannot tell whether the relay is running on this system; stop it and pass --force');
    if (users && users.length > 0) throw new UsageError(`the database is open in process ${users.join(', ')} (the relay?): stop it first`);
  };
  assertAlone();
  const copy = `${file}.compact`;
  rmSync(copy, { force: true });
  const beforeBytes = statSync(file).size;
  const store = openStore(config);
  try {
    await store.env.backup(copy, true);
  } finally {
    await store.close();
  }
  assertAlone();
  const old = `${file}.old`;
  renameSync(file, old);
  renameSync(copy, file);
  // The lock file describes readers of the old file; LMDB rebuilds it on the next open.
  rmSync(`${file}-lock`, { force: true });
  if (!opts.keepOld) rmSync(old, { force: true });
  return { beforeBytes, afterBytes: statSync(file).size, oldFile: opts.keepOld ? old : undefined };
}
