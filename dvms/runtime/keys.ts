import { join } from 'node:path';
import { loadOrCreateKeyFile, type KeyPair } from '../../relay/nostr/keyFile.ts';

export type DvmKey = KeyPair;

/**
 * Each DVM signs with its own key (NIP-89: one pubkey per algorithm). The key is generated on
 * first start into `<dir>/<id>.key` (hex, mode 0600) and read back on every later start, so a
 * DVM keeps its identity (and its followers' trust) across restarts.
 */
export function loadOrCreateKey(dir: string, id: string): DvmKey {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new Error(`bad DVM id for a key file: ${id}`);
  return loadOrCreateKeyFile(join(dir, `${id}.key`));
}
