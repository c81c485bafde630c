import { KIND_GROUP_CREATE } from '../../relay/nostr/kinds.ts';
import { GROUP_ID, newGroup } from '../group.ts';
import type { GroupAction } from './action.ts';
import { applyMetadata } from './metadata.ts';

/** 9007: a member the operator allows (groups.creators) creates a group and becomes its admin. */
export const createGroup: GroupAction = {
  kind: KIND_GROUP_CREATE,
  check(a) {
    if (!GROUP_ID.test(a.id)) return 'invalid: a group id is 1 to 64 letters, digits, "-" or "_"';
    if (a.group?.deleted) return `blocked: the group "${a.id}" was deleted and its id is not reused`;
    if (a.group) return `duplicate: the group "${a.id}" already exists`;
    if (!a.mayCreate(a.event.pubkey)) return 'restricted: you may not create groups on this relay (groups.creators)';
    return applyMetadata(newGroup(a.id, a.event.pubkey, 0, false), a.event, false);
  },
  apply(a) {
    const g = newGroup(a.id, a.event.pubkey, a.event.created_at, a.aiDefault);
    applyMetadata(g, a.event, false);
    return { group: g };
  },
};
