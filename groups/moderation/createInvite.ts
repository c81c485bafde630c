import { KIND_GROUP_CREATE_INVITE } from '../../relay/nostr/kinds.ts';
import { copyOf, permitted, type GroupAction } from './action.ts';

/** 9009: an admin or moderator makes an invite code; a join request carrying it is accepted. */
export const createInvite: GroupAction = {
  kind: KIND_GROUP_CREATE_INVITE,
  check(a) {
    const refused = permitted(a, 'create-invite', 'only an admin or moderator of this group may make invite codes');
    if (refused) return refused;
    const code = a.event.tags.find((t) => t[0] === 'code')?.[1];
    if (!code || code.length > 200) return 'invalid: create-invite needs a ["code", "<1 to 200 characters>"] tag';
    return undefined;
  },
  apply(a) {
    const g = copyOf(a);
    g.invites[a.event.tags.find((t) => t[0] === 'code')![1]!] = { by: a.event.pubkey, at: a.event.created_at };
    return { group: g };
  },
};
