import { KIND_GROUP_REMOVE_USER } from '../../relay/nostr/kinds.ts';
import { isMember, may } from '../group.ts';
import { copyOf, permitted, target, type GroupAction } from './action.ts';

/** 9001: an admin or moderator removes a member; a moderator cannot remove an admin. */
export const removeUser: GroupAction = {
  kind: KIND_GROUP_REMOVE_USER,
  check(a) {
    const refused = permitted(a, 'remove-user', 'only an admin or moderator of this group may remove members');
    if (refused) return refused;
    const g = a.group!;
    const who = target(a.event);
    if (!who) return 'invalid: remove-user needs a ["p", "<64-hex pubkey>"] tag';
    if (!isMember(g, who)) return 'invalid: that pubkey is not a member of this group';
    if (may(g, who, 'put-user') && !may(g, a.event.pubkey, 'put-user')) return 'restricted: only an admin may remove an admin';
    return undefined;
  },
  apply(a) {
    const g = copyOf(a);
    const who = target(a.event)!;
    delete g.members[who];
    g.removed[who] = a.event.created_at;
    return { group: g };
  },
};
