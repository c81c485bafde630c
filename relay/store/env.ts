import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import { checkDatabasePresent, databaseFiles, DataDirError, finishInterruptedCompaction } from './dataFiles.ts';

export type Bin = Database<Buffer, Buffer>;

/**
 * The LMDB environment and its tables. Index tables are dupSort + dupFixed: key = what a filter
 * names, values = created_at ‖ serial (keys.ts).
 */
export interface Tables {
  env: RootDatabase;
  /** serial → record (header ‖ canonical JSON, record.ts); serials only grow, so puts append */
  events: Database<Buffer, number>;
  /** first 8 bytes of the id → serials (u32 BE) of the events with that id prefix */
  ids: Bin;
  /** ALL_KEY → every event */
  created: Bin;
  kinds: Bin;
  pubkeys: Bin;
  pubkeyKinds: Bin;
  tags: Bin;
  /** NIP-50 token index: hash(token) ‖ time bucket → serials (words.ts) */
  words: Bin;
  /** ALL_KEY → NIP-40 expiration ‖ serial */
  expiry: Bin;
  /** replaceable/addressable slot → serial of the version kept */
  addresses: Bin;
  /** NIP-09 tombstones: id → pubkeys that requested its deletion (32 bytes each) */
  deletedIds: Bin;
  /** NIP-09 `a` tombstones: slot → deleted up to created_at */
  deletedAddresses: Bin;
  /** NIP-62: pubkey → vanished up to created_at */
  vanished: Bin;
  /** Storage format version and migration progress (format.ts) */
  meta: Database<number, string>;
  /** The scanned index tables again, their values read as serials alone (`serialValues`). */
  serialViews: Map<Bin, SerialView>;
}

/** An index table whose values read as the serial of each entry. */
export type SerialView = Database<number, Buffer>;

/**
 * Index tables of format 2, by their table names (format 1 had key-only tables named idx-* and
 * `ids`; format.ts rebuilds these from the records and drops those).
 */
export const INDEX_TABLES = {
  ids: 'id-prefix',
  created: 'ix-created',
  kinds: 'ix-kind',
  pubkeys: 'ix-pubkey',
  pubkeyKinds: 'ix-pubkey-kind',
  tags: 'ix-tag',
  words: 'ix-word',
  expiry: 'ix-expiry',
} as const;

/**
 * Values are raw bytes. lmdb-js needs an encoder with writeKey for value bounds in getValues
 * on a dupSort table; `needsStableBuffer` makes it hand decode a copy, never the shared buffer.
 */
const rawValues = {
  needsStableBuffer: true,
  encode: (value: Buffer): Buffer => value,
  decode: (bytes: Buffer): Buffer => bytes,
  writeKey: (key: Buffer, target: Uint8Array, at: number): number => {
    target.set(key, at);
    return at + key.length;
  },
};

/**
 * The same values read as their serial alone (created_at ‖ serial → serial), straight from
 * lmdb-js's shared read buffer: a scan of one key then makes no buffer per entry, where
 * `rawValues` has lmdb-js copy each one into a new ArrayBuffer (a REQ by author at 1M events
 * reads ~500-1,000 entries).
 */
const serialValues = {
  ...rawValues,
  needsStableBuffer: false,
  decode: (bytes: Uint8Array): number => bytes[4]! * 0x1000000 + ((bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!),
};

let orphanedCommitFailuresDropped = false;

/**
 * When a commit fails (a full disk), lmdb-js also rejects an internal promise of its event-turn
 * batch that nobody holds, and Node would end the process on it. The writer has already answered
 * those writes with `error:`, so only that rejection is dropped; any other still ends the process.
 */
function dropOrphanedCommitFailures(): void {
  if (orphanedCommitFailuresDropped) return;
  orphanedCommitFailuresDropped = true;
  process.on('unhandledRejection', (reason) => {
    if (reason instanceof Error && 'commitError' in reason) return;
    throw reason;
  });
}

export interface OpenEnvOptions {
  /** Refuse a directory without a database instead of creating one (commands that read). */
  mustExist?: boolean;
  /** Told what was repaired before opening (an interrupted compaction finished). */
  onRecovered?: (message: string) => void;
}

/**
 * Opens the data directory's LMDB environment. A compaction stopped between its renames is
 * finished first; a directory whose files show a database that is no longer there is refused
 * rather than given an empty one (dataFiles.ts).
 */
export function openEnv(dataDir: string, mapSizeMb: number, opts: OpenEnvOptions = {}): RootDatabase {
  dropOrphanedCommitFailures();
  const recovered = finishInterruptedCompaction(dataDir);
  if (recovered) opts.onRecovered?.(recovered);
  checkDatabasePresent(dataDir, opts.mustExist === true);
  try {
    mkdirSync(dataDir, { recursive: true });
    return open({
      path: databaseFiles(dataDir).db,
      maxDbs: 64,
      mapSize: mapSizeMb * 1024 * 1024,
      // Asynchronous commits (tables written on the relay's thread) flush in the background and
      // `flushed` says when; the writer thread's synchronous commits return flushed.
      overlappingSync: true,
      compression: false,
    });
  } catch (err) {
    throw new DataDirError(`cannot open the database in ${dataDir}: ${openFailure(err as NodeJS.ErrnoException)}`);
  }
}

/** Why LMDB or the file system refused, in the operator's terms. */
function openFailure(err: NodeJS.ErrnoException): string {
  // lmdb-js reports errno 13 as "Permission denied: Attempting to setup locks".
  if (err.code === 'EACCES' || err.code === 'EPERM' || (err as { code?: unknown }).code === 13) {
    return 'permission denied (LMDB writes its lock file and the database there, even to read)';
  }
  if (err.code === 'EROFS' || (err as { code?: unknown }).code === 30) return 'read-only file system (LMDB writes its lock file, even to read)';
  if (err.code === 'ENOTDIR' || err.code === 'EEXIST') return 'not a directory';
  if (err.code === 'ENOSPC' || (err as { code?: unknown }).code === 28) return 'no space left on the device';
  return err.message;
}

/** A key-value table of raw bytes. */
export const binaryTable = (env: RootDatabase, name: string): Bin => env.openDB<Buffer, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary' });

/** An index table: dupSort, fixed 8-byte values (4-byte for `ids` and `words`). */
export const indexTable = (env: RootDatabase, name: string): Bin =>
  env.openDB<Buffer, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary', dupSort: true, dupFixed: true, encoder: rawValues } as never);

export function openTables(env: RootDatabase): Tables {
  const bin = (name: string): Bin => binaryTable(env, name);
  const ix = (name: string): Bin => indexTable(env, name);
  const serialViews = new Map<Bin, SerialView>();
  // Opened with the tables, outside any read: a query never opens a database.
  const scanned = (name: string): Bin => {
    const table = ix(name);
    serialViews.set(table, env.openDB<number, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary', dupSort: true, dupFixed: true, encoder: serialValues } as never));
    return table;
  };
  return {
    env,
    events: env.openDB<Buffer, number>({ name: 'events', keyEncoding: 'uint32', encoding: 'binary' }),
    ids: ix(INDEX_TABLES.ids),
    created: scanned(INDEX_TABLES.created),
    kinds: scanned(INDEX_TABLES.kinds),
    pubkeys: scanned(INDEX_TABLES.pubkeys),
    pubkeyKinds: scanned(INDEX_TABLES.pubkeyKinds),
    tags: scanned(INDEX_TABLES.tags),
    words: ix(INDEX_TABLES.words),
    expiry: ix(INDEX_TABLES.expiry),
    addresses: bin('addresses'),
    deletedIds: bin('deleted-ids'),
    deletedAddresses: bin('deleted-addresses'),
    vanished: bin('vanished'),
    meta: env.openDB<number, string>({ name: 'meta', encoding: 'msgpack' }),
    serialViews,
  };
}
