import { signEvent } from '../relay/nostr/sign.ts';
import { KIND_GROUP_ADMINS, KIND_GROUP_MEMBERS, KIND_GROUP_METADATA, KIND_GROUP_REMOVE_USER, KIND_GROUP_ROLES } from '../relay/nostr/kinds.ts';
import type { KeyPair } from '../relay/nostr/keyFile.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { admins, ROLES, type Group } from './group.ts';

const sign = (key: KeyPair, kind: number, created_at: number, tags: string[][], content = ''): NostrEvent =>
  signEvent({ kind, created_at, tags, content }, key.sk);

/** The 39000 tags: display fields, flags (writes are always members-only here: `restricted`), Hamlet's `ai` and `rule`. */
function metadataTags(g: Group): string[][] {
  const tags: string[][] = [['d', g.id], ['name', g.name]];
  if (g.picture) tags.push(['picture', g.picture]);
  if (g.about) tags.push(['about', g.about]);
  if (g.private) tags.push(['private']);
  tags.push(['restricted']);
  if (g.hidden) tags.push(['hidden']);
  if (g.closed) tags.push(['closed']);
  if (g.supportedKinds) tags.push(['supported_kinds', ...g.supportedKinds]);
  tags.push(['ai', g.ai ? 'allow' : 'deny']);
  for (const r of g.rules) tags.push(['rule', r.id, r.text]);
  return tags;
}

/**
 * The group's state as the four addressable events NIP-29 has the relay sign (39000 metadata,
 * 39001 admins, 39002 members, 39003 roles), all at `createdAt`, which the caller makes later
 * than the last set so each replaces the one before.
 */
export function stateEvents(g: Group, key: KeyPair, createdAt: number): NostrEvent[] {
  const d = ['d', g.id];
  return [
    sign(key, KIND_GROUP_METADATA, createdAt, metadataTags(g)),
    sign(key, KIND_GROUP_ADMINS, createdAt, [d, ...admins(g).map(([pk, roles]) => ['p', pk, ...roles])], `admins of ${g.name}`),
    sign(key, KIND_GROUP_MEMBERS, createdAt, [d, ...Object.keys(g.members).map((pk) => ['p', pk])], `members of ${g.name}`),
    sign(key, KIND_GROUP_ROLES, createdAt, [d, ...Object.entries(ROLES).map(([name, r]) => ['role', name, r.description])], `roles of ${g.name}`),
  ];
}

/** The relay's 9001 removing a member who asked to leave (NIP-29: the relay issues it). */
export const removalEvent = (groupId: string, pubkey: string, key: KeyPair, createdAt: number): NostrEvent =>
  sign(key, KIND_GROUP_REMOVE_USER, createdAt, [['h', groupId], ['p', pubkey]], 'left the group');
