import type { RootDatabase } from 'lmdb';
import type { NostrEvent } from '../nostr/types.ts';
import { binaryTable, type Tables } from './env.ts';
import { indexEntries } from './indexes.ts';
import { idKey, serialBytes } from './keys.ts';
import { encodeRecord } from './record.ts';

/**
 * Storage format versions, kept in the `meta` table under `format`:
 *   1 (no meta table): 83-byte record header with id and pubkey; key-only index tables
 *     (idx-*, ids) keyed prefix ‖ created_at(8) ‖ serial.
 *   2: 11-byte record header, 19 with an expiration (record.ts); dupSort index tables (env.ts,
 *     keys.ts, words.ts).
 */
export const FORMAT = 2;
const FORMAT_KEY = 'format';
/** Last serial migrated from format 1, committed with each batch, so a stopped migration resumes. */
const PROGRESS_KEY = 'migrated-up-to';
const BATCH = 2_000;

const V1_TABLES = ['ids', 'idx-created', 'idx-kind', 'idx-pubkey', 'idx-pubkey-kind', 'idx-tag', 'idx-word', 'idx-expiry'];
const V1_HEADER_BYTES = 83;

export interface MigrationLog {
  info(obj: object, msg: string): void;
  /** Store-level trouble that does not stop it (the word index retrying after a failed write). */
  warn?(obj: object, msg: string): void;
}

export interface IndexingOptions {
  searchEnabled: boolean;
  unsearchableKinds: ReadonlySet<number>;
}

/**
 * Brings a database to this format: a new one is stamped, a format-1 one is migrated (records
 * re-encoded in place, indexes rebuilt from them, old index tables dropped), in transactions of
 * BATCH records. A newer format is refused: this code would misread it.
 */
export function ensureFormat(t: Tables, opts: IndexingOptions, log: MigrationLog, limits: MigrationLimits = {}): void {
  const version = t.meta.get(FORMAT_KEY);
  if (version === FORMAT) return;
  if (version !== undefined) {
    throw new Error(`store: the database at ${pathOf(t.env)} has storage format ${version}; this Hamlet reads format ${FORMAT} (and migrates 1). Upgrade Hamlet or use another data directory.`);
  }
  const resumeAfter = t.meta.get(PROGRESS_KEY);
  const hasRecords = t.events.getKeysCount({ limit: 1 }) > 0;
  if (!hasRecords && resumeAfter === undefined) {
    dropV1Tables(t.env);
    t.meta.putSync(FORMAT_KEY, FORMAT);
    return;
  }
  migrateFromV1(t, opts, log, resumeAfter ?? 0, limits);
}

/** Tests stop a migration part way, as a crash would. */
export interface MigrationLimits {
  batch?: number;
  stopAfterBatches?: number;
}

function migrateFromV1(t: Tables, opts: IndexingOptions, log: MigrationLog, resumeAfter: number, limits: MigrationLimits): void {
  const started = performance.now();
  const total = t.events.getKeysCount({ start: resumeAfter + 1 });
  log.info({ path: pathOf(t.env), from: 1, to: FORMAT, records: total, resumingAfterSerial: resumeAfter || undefined }, 'store: migrating the database to the new storage format (records re-encoded, indexes rebuilt)');
  let migrated = 0;
  let batches = 0;
  for (let done = false; !done; ) {
    if (batches++ === limits.stopAfterBatches) return;
    // Progress is read inside the write transaction: another process opening the same directory
    // waits for it and then goes on from there, never migrating a record twice.
    t.env.transactionSync(() => {
      if (t.meta.get(FORMAT_KEY) === FORMAT) return void (done = true);
      const after = t.meta.get(PROGRESS_KEY) ?? 0;
      const batch: [number, Buffer][] = [];
      for (const { key, value } of t.events.getRange({ start: after + 1, limit: limits.batch ?? BATCH })) batch.push([key, Buffer.from(value)]);
      if (batch.length === 0) return void (done = true);
      for (const [serial, old] of batch) migrateRecord(t, opts, serial, old);
      t.meta.put(PROGRESS_KEY, batch[batch.length - 1]![0]);
      migrated += batch.length;
    });
  }
  if (t.meta.get(FORMAT_KEY) === FORMAT) return;
  dropV1Tables(t.env);
  t.env.transactionSync(() => {
    t.meta.remove(PROGRESS_KEY);
    t.meta.put(FORMAT_KEY, FORMAT);
  });
  log.info({ records: migrated, seconds: Math.round((performance.now() - started) / 100) / 10 }, 'store: migration to the new storage format done');
}

/** One format-1 record: re-encoded in place (smaller, so it stays on its page) and indexed. */
function migrateRecord(t: Tables, opts: IndexingOptions, serial: number, old: Buffer): void {
  const json = old.toString('utf8', V1_HEADER_BYTES);
  let e: NostrEvent;
  try {
    e = JSON.parse(json) as NostrEvent;
  } catch {
    throw new Error(`store: record ${serial} is not readable JSON; the migration stopped before it (nothing was lost)`);
  }
  const expiration = old.readDoubleLE(72);
  t.events.put(serial, encodeRecord(e, json, expiration, old[82]!));
  t.ids.put(idKey(e.id), serialBytes(serial));
  const searchable = opts.searchEnabled && !opts.unsearchableKinds.has(e.kind);
  for (const [table, key, value] of indexEntries(t, e, serial, { searchable, expiration })) table.put(key, value);
}

/** Format-1 index tables, emptied and deleted (each in its own transaction); absent ones are a no-op. */
function dropV1Tables(env: RootDatabase): void {
  for (const name of V1_TABLES) binaryTable(env, name).dropSync();
}

const pathOf = (env: RootDatabase): string => (env as unknown as { path: string }).path;
