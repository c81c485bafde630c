import { KIND_GROUP_DELETE } from '../../relay/nostr/kinds.ts';
import { copyOf, permitted, type GroupAction } from './action.ts';

/** 9008: an admin deletes the group; it stays deleted (its events are hidden, its id never reused). */
export const deleteGroup: GroupAction = {
  kind: KIND_GROUP_DELETE,
  check(a) {
    return permitted(a, 'delete-group', 'only an admin of this group may delete it');
  },
  apply(a) {
    const g = copyOf(a);
    g.deleted = { at: a.event.created_at, by: a.event.pubkey };
    return { group: g, effects: [{ type: 'drop-state' }] };
  },
};
