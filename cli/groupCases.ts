import type { GroupModeration } from '../groups/index.ts';
import type { VillageModeration } from '../moderation/index.ts';
// Not through moderation/index.ts: with moderation off the relay loads none of it (cli/hamlet.ts).
import { DecisionRefused } from '../moderation/decide.ts';

/**
 * A group's admins and moderators are moderators of the village rulebook inside their group: when
 * one removes an event (NIP-29 9005) that the village has a case about, the case is decided
 * (uphold, hidden, appealable as any moderator's decision) under the rule cited, a village rule
 * by its id or the group's own rule named in the note. Without a case, the group's removal stands alone.
 */
export function groupCaseDecision(village: VillageModeration, rules: () => readonly { id: string }[]): (m: GroupModeration) => boolean {
  return (m) => {
    const c = village.getCase(m.eventId);
    if (!c || c.group !== m.group) return false;
    const villageRule = m.rule && rules().some((r) => r.id === m.rule) ? m.rule : undefined;
    const note = [`group ${m.group}`, m.ruleText && m.rule ? `${m.rule}: ${m.ruleText}` : '', m.reason].filter(Boolean).join('; ');
    try {
      village.decide(m.eventId, { outcome: 'uphold', by: 'moderator', moderator: m.by, note, ...(villageRule ? { rule: villageRule } : {}) });
      return true;
    } catch (err) {
      if (err instanceof DecisionRefused) return false;
      throw err;
    }
  };
}
