import type { Config } from '../../config/schema.ts';
import { parsePubkey } from '../../relay/nostr/keys.ts';

/**
 * admin: relay.admins and relay.pubkey; moderator: moderation.moderators (and every admin);
 * member: any signed-in key, or when policies.members is set, those within its web of trust;
 * signed: any key that signed the call (what is about the signer alone: their cases, their jury duty).
 */
export type Role = 'admin' | 'moderator' | 'member' | 'signed';

const listed = (list: readonly string[], pubkey: string): boolean => list.some((k) => parsePubkey(k) === pubkey);

/** What a signed-in key may do, from the config as it is now (the lists are hot keys). */
export function rolesOf(config: Config, pubkey: string, trusted: (pubkey: string) => boolean): Set<Role> {
  const roles = new Set<Role>(['signed']);
  if (pubkey === config.relay.pubkey || listed(config.relay.admins, pubkey)) roles.add('admin').add('moderator');
  if (listed(config.moderation.moderators, pubkey)) roles.add('moderator');
  const members = config.policies.members;
  if (members.length === 0 || listed(members, pubkey) || trusted(pubkey) || roles.has('moderator')) roles.add('member');
  return roles;
}
