import { KIND_GROUP_DELETE_EVENT } from '../../relay/nostr/kinds.ts';
import { groupOf } from '../../relay/nostr/tags.ts';
import { copyOf, permitted, type GroupAction } from './action.ts';

const ids = (tags: string[][]): string[] => tags.filter((t) => t[0] === 'e').map((t) => t[1] ?? '');

/**
 * 9005: an admin or moderator removes events of the group. A `rule` tag may cite a rule of the
 * group's own (`["rule", "<id>"]`) or of the village rulebook; the village's case about the
 * event, if any, is decided with it (the group's moderators are the rulebook's moderators here).
 */
export const deleteEvent: GroupAction = {
  kind: KIND_GROUP_DELETE_EVENT,
  check(a) {
    const refused = permitted(a, 'delete-event', 'only an admin or moderator of this group may delete its events');
    if (refused) return refused;
    const targets = ids(a.event.tags);
    if (targets.length === 0 || targets.some((id) => !/^[0-9a-f]{64}$/.test(id))) return 'invalid: delete-event needs ["e", "<64-hex id>"] tags';
    for (const id of targets) {
      const e = a.eventById(id);
      if (e && groupOf(e) !== a.id) return `invalid: event ${id.slice(0, 8)} is not in this group`;
    }
    return undefined;
  },
  apply(a) {
    const rule = a.event.tags.find((t) => t[0] === 'rule')?.[1];
    const own = rule !== undefined && a.group!.rules.some((r) => r.id === rule) ? `group:${a.id}/${rule}` : rule;
    return {
      group: copyOf(a),
      effects: ids(a.event.tags).map((id) => ({ type: 'remove-event' as const, id, by: a.event.pubkey, reason: a.event.content, ...(own ? { rule: own } : {}) })),
    };
  },
};
