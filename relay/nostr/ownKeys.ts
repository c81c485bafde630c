import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { Config } from '../../config/schema.ts';
import { isHex64 } from './hex.ts';
import { publicKeyOf } from './publicKey.ts';

/** The public key of a key file, when it exists and holds a key (never creates one). */
function pubkeyOfFile(file: string): string | undefined {
  try {
    const hex = readFileSync(file, 'utf8').trim();
    return isHex64(hex) ? publicKeyOf(hexToBytes(hex)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The keys the relay signs with for its own roles: each DVM (dvm-keys), the labeler, moderation
 * and the commons. They are the village's staff, not its members: insights do not count them,
 * and nobody is told to meet them. Read from the key files in the data directory (as the relay
 * and the CLI keep them), so a tool working on a stopped relay's data knows them too.
 */
export function ownPubkeys(config: Pick<Config, 'storage' | 'dvms' | 'labels' | 'moderation'>): Set<string> {
  const dataDir = config.storage.dataDir;
  const dvmDir = config.dvms.keysDir || join(dataDir, 'dvm-keys');
  let dvmFiles: string[] = [];
  try {
    dvmFiles = readdirSync(dvmDir).filter((f) => f.endsWith('.key')).map((f) => join(dvmDir, f));
  } catch {
    // no DVM has started here yet
  }
  const files = [
    ...dvmFiles,
    config.labels.keyFile || join(dataDir, 'labeler.key'),
    config.moderation.keyFile || join(dataDir, 'moderation.key'),
    join(dataDir, 'commons.key'),
    // the relay's own key (groups/: NIP-29 group state)
    join(dataDir, 'relay.key'),
  ];
  return new Set(files.flatMap((f) => pubkeyOfFile(f) ?? []));
}

/** The relay's own pubkey (the NIP-29 group state's author), once groups/ made its key; else undefined. */
export function relayPubkey(config: Pick<Config, 'storage'>): string | undefined {
  return pubkeyOfFile(join(config.storage.dataDir, 'relay.key'));
}
