import { nip19 } from 'nostr-tools';
import { KIND_APPEAL, KIND_JURY_VOTE } from '../relay/nostr/kinds.ts';
import type { Case, Decision } from './case.ts';
import type { RuleRef } from './rulebook.ts';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const ruleText = (rule: RuleRef | undefined, id: string): string => (rule ? `rule "${id}" (${rule.title}: ${rule.description})` : `rule "${id}"`);
const eventRef = (c: Case, relayUrl: string): string => nip19.neventEncode({ id: c.id, relays: [relayUrl], author: c.event.pubkey, kind: c.event.kind });
const quote = (text: string): string => (text.length > 280 ? text.slice(0, 277) + '...' : text);

/** What the author is told when weighted reports hid or flagged their event (NIP-17). */
export function provisionalNotice(c: Case, rule: RuleRef | undefined, relayUrl: string): string {
  const what = c.visibility === 'hidden' ? 'is hidden pending review' : 'is labelled pending review';
  return [
    `Your event ${eventRef(c, relayUrl)} ${what}: members reported it under ${ruleText(rule, c.rule)}.`,
    'Nothing is deleted. A moderator will decide; you will be told, and may then appeal.',
  ].join('\n');
}

/** What the author is told of a decision, under which rule, and how to appeal (NIP-17). */
export function decisionNotice(c: Case, d: Decision, rule: RuleRef | undefined, relayUrl: string): string {
  const lines = [
    d.outcome === 'uphold'
      ? `The village moderators decided to keep your event ${eventRef(c, relayUrl)} hidden under ${ruleText(rule, d.rule)} (rulebook ${d.rulebookVersion}).`
      : `The village moderators restored your event ${eventRef(c, relayUrl)}: it does not break ${ruleText(rule, d.rule)}.`,
  ];
  if (d.note) lines.push(`Moderator's note: ${d.note}`);
  if (d.outcome === 'uphold' && d.appealUntil !== undefined) {
    lines.push(
      `To appeal, publish a kind ${KIND_APPEAL} event with the tag ["e", "${c.id}"] and your reasons as its content, before ${day(d.appealUntil)}.`,
      'You get a signed receipt at once, and a jury of village members drawn at random decides.',
    );
  }
  return lines.join('\n');
}

/** What a juror is told: the event (which readers cannot see while hidden), the rule, the appeal, how to vote. */
export function summons(c: Case, rule: RuleRef | undefined, relayUrl: string): string {
  const a = c.appeal!;
  const d = c.decisions[c.decisions.length - 1]!;
  return [
    `You were drawn for a village jury (case ${c.id}).`,
    `The event, hidden under ${ruleText(rule, d.rule)}:`,
    quote(c.event.content),
    `Reports: ${c.reports.length}. The author appeals: ${quote(a.reason)}`,
    `Vote by publishing a kind ${KIND_JURY_VOTE} event to ${relayUrl} with the tags ["e", "${c.id}"] and ["vote", "uphold"] (keep it hidden) or ["vote", "overturn"] (restore it), before ${day(a.deadline)}.`,
  ].join('\n');
}

/** What the author is told of the jury's (or a moderator's, after a timeout) final decision. */
export function verdictNotice(c: Case, d: Decision, relayUrl: string): string {
  const by = d.by === 'jury' ? 'The jury' : 'A moderator (the jury did not decide in time)';
  return d.outcome === 'overturn'
    ? `${by} upheld your appeal: your event ${eventRef(c, relayUrl)} is visible again.`
    : `${by} rejected your appeal: your event ${eventRef(c, relayUrl)} stays hidden under rule "${d.rule}". This decision is final.`;
}
