import type { Config } from '../config/schema.ts';
import type { EventSource } from '../relay/policy.ts';
import { KIND_GROUP_REMOVE_USER } from '../relay/nostr/kinds.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { isMember, isStateKind } from './group.ts';
import { mayCreateGroup } from './creators.ts';
import { ACTIONS, type ActionInput, type GroupAction } from './moderation/index.ts';
import type { GroupState } from './state.ts';
import { checkPrevious } from './timeline.ts';

/** NIP-29's group-management kinds: moderation 9000-9020, join and leave 9021-9022. */
const isManagementKind = (kind: number): boolean => kind >= 9000 && kind <= 9022;

export interface WriteContext {
  config: () => Config;
  state: GroupState;
  /** The relay's own pubkey (NIP-11 `self`). */
  self: string;
  eventById(id: string): NostrEvent | undefined;
  /** Ids of the group's latest events, for timeline references. */
  recent(group: string): Iterable<string>;
}

/** What the write check says: a refusal, or an action to carry out once the event is accepted. */
export type WriteVerdict = { refusal: string } | { action?: { run: GroupAction; input: ActionInput } };

/**
 * The write-path rules of hosted groups: the relay alone publishes group state; a group event
 * names its group in one `h` tag; the group exists and is live; only members post (in kinds the
 * group supports, not late, with timeline references that resolve here); moderation and
 * join/leave events are checked against the group's roles and rules.
 */
export function checkWrite(event: NostrEvent, source: EventSource, ctx: WriteContext): WriteVerdict {
  if (isStateKind(event.kind)) {
    return event.pubkey === ctx.self && source === 'internal' ? {} : { refusal: `invalid: group state (kind ${event.kind}) is published and signed by this relay only (NIP-29)` };
  }
  const hs = [...new Set(event.tags.filter((t) => t[0] === 'h').map((t) => t[1] ?? ''))];
  if (hs.length === 0) return isManagementKind(event.kind) ? { refusal: `invalid: kind ${event.kind} is a group event and needs an ["h", "<group id>"] tag` } : {};
  if (hs.length > 1) return { refusal: 'invalid: an event belongs to one group: one h tag' };
  const config = ctx.config();
  if (!config.groups.enabled) return { refusal: 'blocked: this relay does not host NIP-29 groups' };
  const id = hs[0]!;
  // the relay's own removal of a member who left
  if (event.pubkey === ctx.self && source === 'internal' && event.kind === KIND_GROUP_REMOVE_USER) return {};
  const group = ctx.state.get(id);
  const late = source === 'client' && config.groups.lateSeconds > 0 && event.created_at < Math.floor(Date.now() / 1000) - config.groups.lateSeconds;
  if (late) return { refusal: `invalid: too late for this group: events older than ${config.groups.lateSeconds} seconds are refused (NIP-29 late publication)` };

  const run = ACTIONS.get(event.kind);
  if (isManagementKind(event.kind) && !run) return { refusal: `invalid: group kind ${event.kind} is not supported here` };
  if (run) {
    const input: ActionInput = { event, id, group, mayCreate: (pk) => mayCreateGroup(config, pk), eventById: ctx.eventById, aiDefault: config.groups.aiDefault };
    const refused = run.check(input) ?? (group ? checkPrevious(event, () => ctx.recent(id), 0) : undefined);
    return refused ? { refusal: refused } : { action: { run, input } };
  }
  if (!group) return { refusal: `invalid: there is no group "${id}" on this relay` };
  if (group.deleted) return { refusal: `blocked: the group "${id}" was deleted` };
  if (!isMember(group, event.pubkey)) {
    return { refusal: Object.hasOwn(group.removed, event.pubkey) ? 'blocked: you were removed from this group' : 'restricted: only members of this group may post in it; send a join request (kind 9021) first' };
  }
  if (group.supportedKinds && !group.supportedKinds.includes(String(event.kind))) return { refusal: `restricted: this group does not take kind ${event.kind} (supported: ${group.supportedKinds.join(', ') || 'none'})` };
  const refused = checkPrevious(event, () => ctx.recent(id), config.groups.minPrevious);
  return refused ? { refusal: refused } : {};
}
