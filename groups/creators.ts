import type { Config } from '../config/schema.ts';
import { parsePubkey } from '../relay/nostr/keys.ts';

/** Who may create a group (groups.creators, groups.creatorList), read from the config in force now. */
export function mayCreateGroup(config: Config, pubkey: string): boolean {
  const g = config.groups;
  if (g.creators === 'anyone') return true;
  const listed = [...g.creatorList, ...config.relay.admins, config.relay.pubkey, ...(g.creators === 'members' ? config.policies.members : [])];
  return listed.some((k) => parsePubkey(k) === pubkey);
}
