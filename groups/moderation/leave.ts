import { KIND_GROUP_LEAVE_REQUEST } from '../../relay/nostr/kinds.ts';
import { isMember } from '../group.ts';
import { copyOf, liveGroup, type GroupAction } from './action.ts';

/** 9022: a member leaves; the relay answers with a 9001 removing them, signed by its own key. */
export const leave: GroupAction = {
  kind: KIND_GROUP_LEAVE_REQUEST,
  check(a) {
    return liveGroup(a) ?? (isMember(a.group!, a.event.pubkey) ? undefined : 'invalid: you are not a member of this group');
  },
  apply(a) {
    const g = copyOf(a);
    delete g.members[a.event.pubkey];
    return { group: g, effects: [{ type: 'announce-removal', pubkey: a.event.pubkey }] };
  },
};
