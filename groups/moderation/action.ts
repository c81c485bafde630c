import type { NostrEvent } from '../../relay/nostr/types.ts';
import { may, type Group, type Permission } from '../group.ts';

/** What one group event asks, as the write check sees it. */
export interface ActionInput {
  event: NostrEvent;
  /** The group id of its `h` tag. */
  id: string;
  /** The group, when it exists (deleted ones included). */
  group?: Group;
  /** Whether this pubkey may create groups (groups.creators). */
  mayCreate(pubkey: string): boolean;
  /** A stored event, for delete-event. */
  eventById(id: string): NostrEvent | undefined;
  /** groups.aiDefault, for a new group. */
  aiDefault: boolean;
}

/** What the relay does besides storing the new state. */
export type Effect =
  | { type: 'remove-event'; id: string; by: string; reason: string; rule?: string }
  | { type: 'announce-removal'; pubkey: string }
  | { type: 'drop-state' };

/**
 * One NIP-29 action (a moderation kind or a join/leave request): a check that answers with a
 * refusal carrying its NIP-01 prefix, and what the accepted event changes. The group is
 * guaranteed to exist and be live when `apply` runs for any kind but create-group.
 */
export interface GroupAction {
  kind: number;
  check(a: ActionInput): string | undefined;
  apply(a: ActionInput): { group: Group; effects?: Effect[] };
}

/** The p-tag pubkey of an action aimed at a member, or undefined when missing or malformed. */
export function target(e: NostrEvent): string | undefined {
  const p = e.tags.find((t) => t[0] === 'p')?.[1];
  return p !== undefined && /^[0-9a-f]{64}$/.test(p) ? p : undefined;
}

/** The live group or a refusal: the checks every action but create-group starts with. */
export function liveGroup(a: ActionInput): string | undefined {
  if (!a.group) return `invalid: there is no group "${a.id}" on this relay`;
  if (a.group.deleted) return `blocked: the group "${a.id}" was deleted`;
  return undefined;
}

/** liveGroup, then whether the author's roles in it grant the permission (else `restricted:` with this text). */
export function permitted(a: ActionInput, permission: Permission, refusal: string): string | undefined {
  return liveGroup(a) ?? (may(a.group!, a.event.pubkey, permission) ? undefined : `restricted: ${refusal}`);
}

/** The group (a copy to change), for apply after liveGroup passed. */
export const copyOf = (a: ActionInput): Group => structuredClone(a.group!);
