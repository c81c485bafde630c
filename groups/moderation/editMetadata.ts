import { KIND_GROUP_EDIT_METADATA } from '../../relay/nostr/kinds.ts';
import { copyOf, permitted, type GroupAction } from './action.ts';
import { applyMetadata } from './metadata.ts';

/** 9002: an admin edits the metadata, the flags, the group's AI consent and its own rules. */
export const editMetadata: GroupAction = {
  kind: KIND_GROUP_EDIT_METADATA,
  check(a) {
    return permitted(a, 'edit-metadata', 'only an admin of this group may edit its metadata') ?? applyMetadata(copyOf(a), a.event, true);
  },
  apply(a) {
    const g = copyOf(a);
    applyMetadata(g, a.event, true);
    return { group: g };
  },
};
