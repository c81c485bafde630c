import { KIND_GROUP_EDIT_METADATA } from '../../relay/nostr/kinds.ts';
import { may } from '../group.ts';
import { copyOf, liveGroup, type GroupAction } from './action.ts';
import { applyMetadata } from './metadata.ts';

/** 9002: an admin edits the metadata, the flags, the group's AI consent and its own rules. */
export const editMetadata: GroupAction = {
  kind: KIND_GROUP_EDIT_METADATA,
  check(a) {
    const refused = liveGroup(a);
    if (refused) return refused;
    if (!may(a.group!, a.event.pubkey, 'edit-metadata')) return 'restricted: only an admin of this group may edit its metadata';
    return applyMetadata(copyOf(a), a.event, true);
  },
  apply(a) {
    const g = copyOf(a);
    applyMetadata(g, a.event, true);
    return { group: g };
  },
};
