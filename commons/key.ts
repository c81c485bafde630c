import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { loadOrCreateKeyFile, type KeyPair } from '../relay/nostr/keyFile.ts';

export type CommonsKey = KeyPair;

/** <storage.dataDir>/commons.key: kept with the data, so a backup keeps the datasets' signer. */
export const commonsKeyFile = (config: Pick<Config, 'storage'>): string => join(config.storage.dataDir, 'commons.key');

/**
 * The key that signs dataset manifests, so anyone holding a dataset can check it is the one the
 * village published. Generated on first use (hex, mode 0600), read back after, and shared by the
 * relay's scheduled rebuilds and `hamlet dataset export`.
 */
export const loadOrCreateCommonsKey = (file: string): CommonsKey => loadOrCreateKeyFile(file);
