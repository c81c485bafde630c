import { KIND_GROUP_ADMINS, KIND_GROUP_MEMBERS, KIND_GROUP_METADATA, KIND_GROUP_ROLES } from '../relay/nostr/kinds.ts';

/** The state of one NIP-29 group hosted here: what its moderation events have made of it. */
export interface Group {
  id: string;
  name: string;
  picture: string;
  about: string;
  /** Only members read its events (NIP-42). */
  private: boolean;
  /** Join requests need an invite code. */
  closed: boolean;
  /** Its metadata is shown to members only. */
  hidden: boolean;
  /** Kinds members may post (as strings, NIP-29); undefined: every kind. */
  supportedKinds?: string[];
  /** Members and their roles ([] for a plain member). */
  members: Record<string, string[]>;
  /** Pubkeys its admins or moderators removed (unix seconds): they rejoin only when an admin adds them back. */
  removed: Record<string, number>;
  /** Invite codes and who made them. */
  invites: Record<string, { by: string; at: number }>;
  /** Whether the village's models may read the group (feeds, tags, digests, datasets): its admins' choice. */
  ai: boolean;
  /** The group's own rules, beside the village rulebook: cited as `group:<id>/<rule>`. */
  rules: { id: string; text: string }[];
  createdAt: number;
  createdBy: string;
  /** Set once the group is deleted: it stays deleted, its id is never reused. */
  deleted?: { at: number; by: string };
  /** created_at of the relay's latest state events, so each new one replaces the last (NIP-01 addressable). */
  stateAt: number;
}

/** What a role allows. Roles are the relay's (NIP-29 leaves them to it), listed in kind 39003. */
export type Permission = 'put-user' | 'remove-user' | 'edit-metadata' | 'delete-event' | 'delete-group' | 'create-invite';

export const ROLES: Record<string, { description: string; permissions: readonly Permission[] }> = {
  admin: { description: 'manages members, roles, metadata, invites, events and the group itself', permissions: ['put-user', 'remove-user', 'edit-metadata', 'delete-event', 'delete-group', 'create-invite'] },
  moderator: { description: 'removes members and events and makes invite codes; a moderator of the village rulebook inside the group', permissions: ['remove-user', 'delete-event', 'create-invite'] },
};

export const isMember = (g: Group, pubkey: string): boolean => Object.hasOwn(g.members, pubkey);

/** Whether this pubkey's roles in the group grant the permission. */
export function may(g: Group, pubkey: string, permission: Permission): boolean {
  const roles = g.members[pubkey];
  return roles !== undefined && roles.some((r) => ROLES[r]?.permissions.includes(permission));
}

/** Members with a role that grants anything: the group's admins in NIP-29's broad sense (kind 39001). */
export const admins = (g: Group): [string, string[]][] => Object.entries(g.members).filter(([, roles]) => roles.some((r) => ROLES[r] !== undefined));

/** NIP-29 group ids: letters, digits, `-` and `_`. */
export const GROUP_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function newGroup(id: string, creator: string, at: number, ai: boolean): Group {
  return { id, name: id, picture: '', about: '', private: false, closed: false, hidden: false, members: { [creator]: ['admin'] }, removed: {}, invites: {}, ai, rules: [], createdAt: at, createdBy: creator, stateAt: 0 };
}

/** The kinds the relay signs for each group (39000-39003), with the group id as `d`. */
export const STATE_KINDS: readonly number[] = [KIND_GROUP_METADATA, KIND_GROUP_ADMINS, KIND_GROUP_MEMBERS, KIND_GROUP_ROLES];
export const isStateKind = (kind: number): boolean => STATE_KINDS.includes(kind);
