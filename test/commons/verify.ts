import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyEvent } from 'nostr-tools';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/**
 * What a dataset user does with a downloaded version, written here from docs/dataset.md rather
 * than with commons/ code, so the checks hold the export to its documentation.
 */
export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Merkle root as docs/dataset.md states it: sorted ids, 0x00 leaves, 0x01 nodes, odd node carried up. */
export function merkleRootOf(ids: string[]): string {
  let level: Buffer[] = [...ids].sort().map((id) => createHash('sha256').update(Buffer.from([0])).update(Buffer.from(id, 'hex')).digest());
  if (level.length === 0) return sha256('');
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? createHash('sha256').update(Buffer.from([1])).update(level[i]!).update(level[i + 1]!).digest() : level[i]!);
    }
    level = next;
  }
  return level[0]!.toString('hex');
}

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** Reads a version directory: its manifest, its events, and whether every file is as the manifest says. */
export function readVersion(dir: string) {
  const manifestText = readFileSync(join(dir, 'manifest.json'), 'utf8');
  const manifest = JSON.parse(manifestText) as { version: string; merkleRoot: string; records: number; publisher: string; files: ManifestFile[]; counts: { byKind: Record<string, number>; byMonth: Record<string, number> } };
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as NostrEvent);
  const badFiles = manifest.files.filter((f) => {
    const buf = readFileSync(join(dir, f.path));
    return sha256(buf) !== f.sha256 || buf.length !== f.bytes;
  });
  const badSignatures = events.filter((e) => !verifyEvent({ ...e }));
  return { manifestText, manifest, events, badFiles, badSignatures };
}
