import type { ConnectionInfo, ReadDecision, ReadInput } from '../relay/policy.ts';
import { KIND_GROUP_CREATE_INVITE, KIND_GROUP_MEMBERS } from '../relay/nostr/kinds.ts';
import { dTag, groupOf } from '../relay/nostr/tags.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { StoredRecord } from '../relay/store/record.ts';
import { isMember, isStateKind, may, type Group } from './group.ts';
import type { GroupState } from './state.ts';

const H_TAG = Buffer.from('["h",');

/** The group an event belongs to: its `h` tag, or the `d` of the relay's own state events. */
function groupIdOf(e: NostrEvent, self: string): string | undefined {
  return isStateKind(e.kind) ? (e.pubkey === self ? dTag(e) : undefined) : groupOf(e);
}

const isMemberAs = (g: Group, authed: ReadonlySet<string>): boolean => [...authed].some((pk) => isMember(g, pk));

/**
 * Who reads what of a group: nothing of a deleted group; a private group's events, and its
 * member list, only its members (authenticated with NIP-42); a hidden group's state only its
 * members; invite codes (9009) only those who may make them.
 */
export function mayReadGroupEvent(e: NostrEvent, authed: ReadonlySet<string>, state: GroupState, self: string): boolean {
  const id = groupIdOf(e, self);
  if (id === undefined) return true;
  const g = state.get(id);
  if (!g) return true;
  if (g.deleted) return false;
  if (e.kind === KIND_GROUP_CREATE_INVITE) return [...authed].some((pk) => may(g, pk, 'create-invite'));
  if (isStateKind(e.kind)) return !(g.hidden || (g.private && e.kind === KIND_GROUP_MEMBERS)) || isMemberAs(g, authed);
  return !g.private || isMemberAs(g, authed);
}

/** The per-record veto for one read (relay/policy.ts hiddenFrom): records are parsed only when they may be a group's. */
export function hiddenFrom(conn: ConnectionInfo, state: GroupState, self: string): (rec: StoredRecord) => boolean {
  // without a private, hidden or deleted group only invite codes are hidden: no record's JSON is searched
  const restricted = state.anyRestricted();
  return (rec) => {
    const mayBeGroups = rec.kind === KIND_GROUP_CREATE_INVITE || (restricted && (isStateKind(rec.kind) || rec.json.includes(H_TAG)));
    return mayBeGroups && !mayReadGroupEvent(rec.event(), conn.authed, state, self);
  };
}

/**
 * A REQ or COUNT that names a private group (`#h`) is answered with why it gets nothing: AUTH
 * first, or membership. Other filters pass; what they match is still vetted event by event.
 */
export function checkRead(input: ReadInput, state: GroupState): ReadDecision | undefined {
  for (const f of input.filters) {
    for (const id of f.tags?.get('h') ?? []) {
      const g = state.get(id);
      if (!g || g.deleted || !g.private || isMemberAs(g, input.conn.authed)) continue;
      return input.conn.authed.size === 0
        ? { action: 'reject', reason: `auth-required: the group "${id}" is private; authenticate (NIP-42) as one of its members` }
        : { action: 'reject', reason: `restricted: the group "${id}" is private; only its members read it` };
    }
  }
  return undefined;
}
