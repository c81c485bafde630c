import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';

type Bin = Database<Buffer, Buffer>;

/** The LMDB environment and its tables. Index tables hold keys only (values are empty). */
export interface Tables {
  env: RootDatabase;
  /** serial → record (header ‖ canonical JSON) */
  events: Database<Buffer, number>;
  /** id → serial */
  ids: Bin;
  created: Bin;
  kinds: Bin;
  pubkeys: Bin;
  pubkeyKinds: Bin;
  tags: Bin;
  /** NIP-50 token index */
  words: Bin;
  /** NIP-40 expiration ‖ serial */
  expiry: Bin;
  /** replaceable/addressable slot → serial of the version kept */
  addresses: Bin;
  /** NIP-09 tombstones: id → pubkeys that requested its deletion (32 bytes each) */
  deletedIds: Bin;
  /** NIP-09 `a` tombstones: slot → deleted up to created_at */
  deletedAddresses: Bin;
  /** NIP-62: pubkey → vanished up to created_at */
  vanished: Bin;
}

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

export function openTables(dataDir: string, mapSizeMb: number): Tables {
  dropOrphanedCommitFailures();
  mkdirSync(dataDir, { recursive: true });
  const env = open({
    path: `${dataDir}/events.lmdb`,
    maxDbs: 64,
    mapSize: mapSizeMb * 1024 * 1024,
    // Commits flush in the background; the writer waits for `flushed` before acknowledging.
    overlappingSync: true,
    compression: false,
  });
  const bin = (name: string): Bin => env.openDB<Buffer, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary' });
  return {
    env,
    events: env.openDB<Buffer, number>({ name: 'events', keyEncoding: 'uint32', encoding: 'binary' }),
    ids: bin('ids'),
    created: bin('idx-created'),
    kinds: bin('idx-kind'),
    pubkeys: bin('idx-pubkey'),
    pubkeyKinds: bin('idx-pubkey-kind'),
    tags: bin('idx-tag'),
    words: bin('idx-word'),
    expiry: bin('idx-expiry'),
    addresses: bin('addresses'),
    deletedIds: bin('deleted-ids'),
    deletedAddresses: bin('deleted-addresses'),
    vanished: bin('vanished'),
  };
}
