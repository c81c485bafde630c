import { statSync } from 'node:fs';
import type { Database } from 'lmdb';
import type { Store } from '../../relay/store/store.ts';
import { ALL_KEY, createdAtOf } from '../../relay/store/keys.ts';
import { scanIndex } from '../../relay/store/scan.ts';
import { wordsOwed } from '../../relay/store/wordsThrough.ts';

export interface StoreStats {
  events: number;
  oldest?: number;
  newest?: number;
  byKind: { kind: number; events: number }[];
  topAuthors: { pubkey: string; events: number }[];
  authors: number;
  /** Records whose NIP-50 words are not in the word index yet (relay/store/wordIndexer.ts; searches read them). */
  searchWordsOwed: number;
  disk: {
    /** The LMDB file's apparent size (high-water mark of pages ever used). */
    fileBytes: number;
    /** Bytes the filesystem actually holds for it (the file is sparse). */
    allocatedBytes: number;
    /** Pages the event tables use now; the rest of the file is free pages LMDB reuses (`hamlet compact` gives them back). */
    tablesBytes: number;
    mapSizeBytes: number;
  };
  /** bytes: the table's own pages; LMDB does not count the value pages of dupSort tables (the indexes) there. */
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

/** Counts from the index tables (no event is parsed), and sizes from LMDB. */
export function storeStats(store: Store, top = 10): StoreStats {
  const path = (store.env as unknown as { path: string }).path;
  const t = store.tables;
  // Index keys are kinds and pubkeys, each with one value per event: counts need no event parsed.
  const kinds = new Map<number, number>();
  for (const key of t.kinds.getKeys() as Iterable<Buffer>) kinds.set(key.readUInt16BE(0), t.kinds.getValuesCount(key));
  const authors = new Map<string, number>();
  for (const key of t.pubkeys.getKeys() as Iterable<Buffer>) authors.set(key.toString('hex'), t.pubkeys.getValuesCount(key));
  let oldest: number | undefined;
  let newest: number | undefined;
  for (const value of scanIndex(t.created, ALL_KEY, undefined, undefined, false, 1)) oldest = createdAtOf(value);
  for (const value of scanIndex(t.created, ALL_KEY, undefined, undefined, true, 1)) newest = createdAtOf(value);

  const root = store.env.getStats() as DbStat;
  const tables = Object.entries(t)
    // The tables themselves: not the environment, nor the serial views (the same tables read another way).
    .filter(([name]) => name !== 'env' && name !== 'serialViews')
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
    searchWordsOwed: wordsOwed(t),
    disk: {
      fileBytes: st.size,
      allocatedBytes: st.blocks * 512,
      tablesBytes: tables.reduce((sum, x) => sum + x.bytes, 0),
      mapSizeBytes: root.mapSize,
    },
    tables,
  };
}
