import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes actually allocated under a directory (LMDB files are sparse: st_size would overstate). */
export function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? diskBytes(p) : statSync(p).blocks * 512;
  }
  return total;
}
