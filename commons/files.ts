import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { DatasetRecord } from './select.ts';

/** A file of a dataset version, as manifest.json and croissant.json list it. */
export interface DatasetFile {
  path: string;
  sha256: string;
  bytes: number;
  encodingFormat: string;
}

/** Writes a file whole and returns its digest. */
export function writeDatasetFile(dir: string, path: string, content: string | Buffer, encodingFormat: string): DatasetFile {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  writeFileSync(join(dir, path), buf);
  return { path, sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length, encodingFormat };
}

/** events.jsonl: each signed original exactly as stored, one per line. */
export const eventsJsonl = (records: readonly DatasetRecord[]): Buffer => Buffer.from(records.map((r) => r.json + '\n').join(''), 'utf8');

/** The columns of posts.csv, named once (croissant.ts describes each). */
export const CSV_COLUMNS = ['id', 'pubkey', 'created_at', 'kind', 'content', 'hashtags', 'license', 'consent_event'] as const;

/** posts.csv: one row per record for analysis; the signed originals are in events.jsonl. */
export function postsCsv(records: readonly DatasetRecord[]): string {
  const rows = records.map(({ event, license, consentId }) => [
    event.id,
    event.pubkey,
    new Date(event.created_at * 1000).toISOString(),
    event.kind,
    event.content,
    event.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]!.toLowerCase()).join(' '),
    license,
    consentId,
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}

/** sha256 of a file on disk, streamed (what a dataset user runs to check one). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}
