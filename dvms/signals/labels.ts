import type { NostrEvent } from '../../relay/nostr/types.ts';

/**
 * NIP-32 labels (kind 1985) on events and people, from labelers the village trusts (the
 * moderation side's members, configured labelers, the DVMs' own keys). A label is kept both
 * as its value ("spam") and qualified by its namespace ("social.nos.ontology:NS-spam").
 */
export class LabelIndex {
  private readonly onEvents = new Map<string, Set<string>>();
  private readonly onPeople = new Map<string, Set<string>>();
  /** ISO-639-1 language labels on events. */
  readonly languages = new Map<string, string>();

  constructor(private readonly trusted: (pubkey: string) => boolean) {}

  apply(e: NostrEvent): boolean {
    if (e.kind !== 1985 || !this.trusted(e.pubkey)) return false;
    const labels: { ns: string; value: string }[] = [];
    for (const t of e.tags) if (t[0] === 'l' && t[1]) labels.push({ ns: t[2] ?? 'ugc', value: t[1] });
    if (labels.length === 0) return false;
    for (const t of e.tags) {
      const target = t[0] === 'e' ? this.onEvents : t[0] === 'p' ? this.onPeople : undefined;
      if (!target || !t[1]) continue;
      let set = target.get(t[1]);
      if (!set) target.set(t[1], (set = new Set()));
      for (const l of labels) {
        if (l.ns === 'ISO-639-1' && t[0] === 'e') this.languages.set(t[1], l.value.toLowerCase());
        set.add(l.value.toLowerCase());
        set.add(`${l.ns}:${l.value}`.toLowerCase());
      }
    }
    return true;
  }

  /** Labels on the event and on its author. */
  of(eventId: string, author: string): ReadonlySet<string> | undefined {
    const a = this.onEvents.get(eventId);
    const b = this.onPeople.get(author);
    if (!a) return b;
    if (!b) return a;
    return new Set([...a, ...b]);
  }
}
