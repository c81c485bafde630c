import { KIND_GROUP_PUT_USER } from '../../relay/nostr/kinds.ts';
import { ROLES } from '../group.ts';
import { copyOf, permitted, target, type GroupAction } from './action.ts';

const rolesOf = (tag: string[] | undefined): string[] => (tag ?? []).slice(2).filter((r) => r !== '');

/** 9000: an admin adds a member, or sets a member's roles (admin, moderator, or none). */
export const putUser: GroupAction = {
  kind: KIND_GROUP_PUT_USER,
  check(a) {
    const refused = permitted(a, 'put-user', 'only an admin of this group may add members or give roles');
    if (refused) return refused;
    if (!target(a.event)) return 'invalid: put-user needs a ["p", "<64-hex pubkey>", ...roles] tag';
    const unknown = rolesOf(a.event.tags.find((t) => t[0] === 'p')).filter((r) => !ROLES[r]);
    if (unknown.length > 0) return `invalid: unknown role ${unknown.join(', ')} (roles here: ${Object.keys(ROLES).join(', ')})`;
    return undefined;
  },
  apply(a) {
    const g = copyOf(a);
    const who = target(a.event)!;
    g.members[who] = rolesOf(a.event.tags.find((t) => t[0] === 'p'));
    delete g.removed[who];
    return { group: g };
  },
};
