import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { loadOrCreateKeyFile, type KeyPair } from '../relay/nostr/keyFile.ts';

/** <storage.dataDir>/relay.key: kept with the data, so a backup keeps the groups' signer. */
export const relayKeyFile = (config: Pick<Config, 'storage'>): string => join(config.storage.dataDir, 'relay.key');

/**
 * The relay's own key (NIP-11 `self`): it signs each group's state (39000-39003) and the removals
 * it makes for members who leave. Generated on first start (hex, mode 0600), read back after.
 */
export const loadOrCreateRelayKey = (config: Pick<Config, 'storage'>): KeyPair => loadOrCreateKeyFile(relayKeyFile(config));
