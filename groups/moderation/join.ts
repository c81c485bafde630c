import { KIND_GROUP_JOIN_REQUEST } from '../../relay/nostr/kinds.ts';
import { isMember } from '../group.ts';
import { copyOf, liveGroup, type GroupAction } from './action.ts';

const codeOf = (tags: string[][]): string | undefined => tags.find((t) => t[0] === 'code')?.[1];

/**
 * 9021: a user asks to join. An open group admits at once; a closed one only with a valid invite
 * code (the refusal says so, and that it is final without one). A member asking again gets `duplicate:`.
 */
export const join: GroupAction = {
  kind: KIND_GROUP_JOIN_REQUEST,
  check(a) {
    const refused = liveGroup(a);
    if (refused) return refused;
    const g = a.group!;
    if (isMember(g, a.event.pubkey)) return 'duplicate: you are already a member of this group';
    if (Object.hasOwn(g.removed, a.event.pubkey)) return 'blocked: the moderators of this group removed you; only an admin can add you back';
    if (!g.closed) return undefined;
    const code = codeOf(a.event.tags);
    if (code === undefined) return 'restricted: this group is closed; join with an invite code from one of its admins';
    if (!Object.hasOwn(g.invites, code)) return 'restricted: this invite code is not valid for this group';
    return undefined;
  },
  apply(a) {
    const g = copyOf(a);
    g.members[a.event.pubkey] = [];
    return { group: g };
  },
};
