import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Filter } from '../../relay/nostr/types.ts';
import { countWork, queryWork } from '../../relay/store/query.ts';
import { Store, type StoreOptions } from '../../relay/store/store.ts';
import { finish, Meter } from '../../relay/store/work.ts';

/**
 * Stores in temporary data directories for one test file: each test opens what it needs, and
 * everything opened is closed and deleted after it.
 */
export function tempStores(prefix: string, defaults: Partial<StoreOptions> = {}): { dataDir: () => string; open: (dir?: string, opts?: Partial<StoreOptions>) => Store } {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dataDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), `hamlet-${prefix}-`));
    dirs.push(d);
    return d;
  };
  const open = (dir = dataDir(), opts: Partial<StoreOptions> = {}): Store => {
    const store = new Store({ mapSizeMb: 256, batchSize: 100, searchEnabled: true, unsearchableKinds: new Set([4]), vanishApplies: () => false, ...defaults, ...opts, dataDir: dir });
    stores.push(store);
    return store;
  };
  return { dataDir, open };
}

/** The ids a REQ of one filter finds in a store, in its order, read straight from its tables (no relay). */
export const queryStored = (store: Store, f: Filter): string[] => finish(queryWork(store.tables, [f], { now: 2_000_000_000 }, new Meter())).map((r) => r.id);

/** What a COUNT of one filter finds in a store, read straight from its tables (no relay). */
export const countStored = (store: Store, f: Filter): number => finish(countWork(store.tables, [f], { now: 2_000_000_000 }, new Meter()));

/** Runs a TypeScript module snippet in a child process (another process on the same store); its stdout, or the failure (exit code, timeout). */
export function runScript(script: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { timeout: timeoutMs }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}
