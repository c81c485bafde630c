import { statSync } from 'node:fs';
import type { Database } from 'lmdb';
import type { Store } from '../store/store.ts';
import { createdAtOf } from '../store/keys.ts';

export interface StoreStats {
  events: number;
  oldest?: number;
  newest?: number;
  byKind: { kind: number; events: number }[];
  topAuthors: { pubkey: string; events: number }[];
  authors: number;
  disk: {
    /** The LMDB file's apparent size (high-water mark of pages ever used). */
    fileBytes: number;
    /** Bytes the filesystem actually holds for it (the file is sparse). */
    allocatedBytes: number;
    /** Pages the event tables use now; the rest of the file is free pages LMDB reuses (`hamlet compact` gives them back). */
    tablesBytes: number;
    mapSizeBytes: number;
  };
  tables: { name: string; entries: number; bytes: number }[];
}

interface DbStat {
  pageSize: number;
  entryCount: number;
  treeBranchPageCount: number;
  treeLeafPageCount: number;
  overflowPages: number;
  lastPageNumber: number;
  mapSize: number;
}

const pagesOf = (s: DbStat) => s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages;

/** Counts from the index tables (keys only; no event is parsed), and sizes from LMDB. */
export function storeStats(store: Store, top = 10): StoreStats {
  const path = (store.env as unknown as { path: string }).path;
  const t = store.tables;
  const kinds = new Map<number, number>();
  for (const key of t.kinds.getKeys() as Iterable<Buffer>) {
    const k = key.readUInt16BE(0);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const authors = new Map<string, number>();
  let run: Buffer | undefined;
  let runCount = 0;
  // Keys are grouped by pubkey, so a run-length count avoids a hex string per key.
  const flush = () => {
    if (run) authors.set(run.toString('hex'), runCount);
  };
  for (const key of t.pubkeys.getKeys() as Iterable<Buffer>) {
    if (run && key.compare(run, 0, 32, 0, 32) === 0) runCount++;
    else {
      flush();
      run = Buffer.from(key.subarray(0, 32));
      runCount = 1;
    }
  }
  flush();
  let oldest: number | undefined;
  let newest: number | undefined;
  for (const key of t.created.getKeys({ limit: 1 }) as Iterable<Buffer>) oldest = createdAtOf(key);
  for (const key of t.created.getKeys({ reverse: true, limit: 1 }) as Iterable<Buffer>) newest = createdAtOf(key);

  const root = store.env.getStats() as DbStat;
  const tables = Object.entries(t)
    .filter(([name]) => name !== 'env')
    .map(([name, db]) => {
      const s = (db as Database).getStats() as DbStat;
      return { name, entries: s.entryCount, bytes: pagesOf(s) * s.pageSize };
    })
    .sort((a, b) => b.bytes - a.bytes);
  const st = statSync(path);
  return {
    events: (t.events.getStats() as DbStat).entryCount,
    oldest,
    newest,
    byKind: [...kinds].map(([kind, events]) => ({ kind, events })).sort((a, b) => b.events - a.events || a.kind - b.kind),
    topAuthors: [...authors].map(([pubkey, events]) => ({ pubkey, events })).sort((a, b) => b.events - a.events).slice(0, top),
    authors: authors.size,
    disk: {
      fileBytes: st.size,
      allocatedBytes: st.blocks * 512,
      tablesBytes: tables.reduce((sum, x) => sum + x.bytes, 0),
      mapSizeBytes: root.mapSize,
    },
    tables,
  };
}
