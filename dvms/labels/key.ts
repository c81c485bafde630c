import type { DvmKey } from '../runtime/keys.ts';
import { loadOrCreateKeyFile } from '../../relay/nostr/keyFile.ts';

export type LabelerKey = DvmKey;

/**
 * The village's labeler key: generated on first start (hex, mode 0600) and read back on every
 * later one, so the labels keep one author that feeds, policies and clients can trust.
 */
export function loadOrCreateLabelerKey(file: string): LabelerKey {
  return loadOrCreateKeyFile(file);
}
