import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { loadOrCreateKeyFile, type KeyPair } from '../relay/nostr/keyFile.ts';

export type ModerationKey = KeyPair;

/** moderation.keyFile, or <storage.dataDir>/moderation.key. */
export const moderationKeyFile = (config: Pick<Config, 'moderation' | 'storage'>): string =>
  config.moderation.keyFile || join(config.storage.dataDir, 'moderation.key');

/**
 * The relay's moderation key signs decisions, receipts and notices, so members can check that a
 * decision is the village's. Generated on first start (hex, mode 0600) and read back after, so
 * the village keeps one moderation identity across restarts and across the CLI and the relay.
 */
export const loadOrCreateModerationKey = (file: string): ModerationKey => loadOrCreateKeyFile(file);
