import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';

/**
 * Bytes of pages each named table occupies, for every LMDB environment file in a (closed)
 * relay's data directory: where the disk bytes per event go. For dupSort tables (the indexes)
 * this is their key pages only; their value pages are in the residual line.
 */
export function tableBytes(dataDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.lmdb') || f.endsWith('.mdb'))) {
    const env = open({ path: join(dataDir, file), readOnly: true, maxDbs: 256, encoding: 'binary', keyEncoding: 'binary' });
    try {
      const pages = (s: { treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number; pageSize: number }) =>
        (s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages) * s.pageSize;
      const names: string[] = [];
      for (const { key } of env.getRange({})) names.push(Buffer.from(key as Uint8Array).toString().replace(/\0$/, ''));
      for (const name of names) {
        const db = env.openDB({ name, keyEncoding: 'binary', encoding: 'binary' });
        out[name] = pages(db.getStats() as never);
      }
      const stats = env.getStats() as { free: never; lastPageNumber: number; pageSize: number };
      out['(free-list pages)'] = pages(stats.free);
      out['(file, used pages)'] = (stats.lastPageNumber + 1) * stats.pageSize;
      // LMDB's table statistics leave out dupSort sub-pages (index values) and pages on the free
      // list: what the file holds beyond the tables' own pages is those.
      const counted = Object.entries(out).filter(([n]) => !n.startsWith('(')).reduce((sum, [, b]) => sum + b, 0);
      out['(index value pages and free pages)'] = out['(file, used pages)']! - counted - out['(free-list pages)']!;
    } finally {
      void env.close();
    }
  }
  return out;
}
