import { relayPubkey } from '../../relay/nostr/ownKeys.ts';
import { KIND_GROUP_MEMBERS, KIND_GROUP_METADATA } from '../../relay/nostr/kinds.ts';
import type { RelayServices } from '../../relay/services.ts';

/**
 * Whether a person may see what the DVMs make of a NIP-29 group's posts: anyone for a public
 * group, members only for a private one (as the relay's reads do), nobody for a group the relay
 * does not host. Read from the group state the relay signs (39000 metadata, 39002 members).
 */
export function mayReadGroup(services: Pick<RelayServices, 'query' | 'config'>, group: string, pubkey: string): boolean {
  const self = relayPubkey(services.config);
  if (!self) return false;
  const d = new Map([['d', [group]]]);
  const meta = services.query([{ kinds: [KIND_GROUP_METADATA], authors: [self], tags: d, limit: 1 }])[0];
  if (!meta) return false;
  if (!meta.tags.some((t) => t[0] === 'private')) return true;
  const members = services.query([{ kinds: [KIND_GROUP_MEMBERS], authors: [self], tags: d, limit: 1 }])[0];
  return members?.tags.some((t) => t[0] === 'p' && t[1] === pubkey) ?? false;
}
