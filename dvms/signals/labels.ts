import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Budget, stringBytes, type Caps } from './budget.ts';
import { KIND_LABEL } from '../../relay/nostr/kinds.ts';

interface Labelled {
  labels: Set<string>;
  /** The newest label's created_at (what the budget sheds by). */
  at: number;
  bytes: number;
}

/** Estimated heap bytes of a labelled target (its record, key and set) and of each label string in it. */
const TARGET_BYTES = 120;
const LABEL_BYTES = 24;

/**
 * NIP-32 labels (kind 1985) on events and people, from labelers the village trusts (the
 * moderation side's members, configured labelers, the DVMs' own keys). A label is kept both
 * as its value ("spam") and qualified by its namespace ("social.nos.ontology:NS-spam").
 * Bounded by `caps` (labelled targets, estimated bytes): past either, the targets labelled
 * longest ago are forgotten; `wants` says which events are worth keeping labels for (the
 * feeds' candidate posts).
 */
export class LabelIndex {
  private readonly onEvents = new Map<string, Labelled>();
  private readonly onPeople = new Map<string, Labelled>();
  /** ISO-639-1 language labels on events. */
  readonly languages = new Map<string, string>();
  private readonly budget: Budget;

  constructor(
    private readonly trusted: (pubkey: string) => boolean,
    caps: Caps = { maxCount: Infinity, maxBytes: Infinity },
    private readonly wants: (eventId: string) => boolean = () => true,
  ) {
    this.budget = new Budget(caps);
  }

  apply(e: NostrEvent): boolean {
    if (e.kind !== KIND_LABEL || !this.trusted(e.pubkey)) return false;
    const labels: { ns: string; value: string }[] = [];
    for (const t of e.tags) if (t[0] === 'l' && t[1]) labels.push({ ns: t[2] ?? 'ugc', value: t[1] });
    if (labels.length === 0) return false;
    let kept = false;
    for (const t of e.tags) {
      const onEvent = t[0] === 'e';
      const target = onEvent ? this.onEvents : t[0] === 'p' ? this.onPeople : undefined;
      if (!target || !t[1] || (onEvent && !this.wants(t[1]))) continue;
      let entry = target.get(t[1]);
      if (!entry) {
        if (!this.budget.admits(e.created_at)) continue;
        target.set(t[1], (entry = { labels: new Set(), at: e.created_at, bytes: TARGET_BYTES + stringBytes(t[1]) }));
        this.budget.add(entry.bytes);
      }
      entry.at = Math.max(entry.at, e.created_at);
      for (const l of labels) {
        if (l.ns === 'ISO-639-1' && onEvent) this.languages.set(t[1], l.value.toLowerCase());
        for (const s of [l.value.toLowerCase(), `${l.ns}:${l.value}`.toLowerCase()]) {
          if (entry.labels.has(s)) continue;
          entry.labels.add(s);
          const b = LABEL_BYTES + stringBytes(s);
          entry.bytes += b;
          this.budget.add(b, 0);
        }
      }
      kept = true;
    }
    this.fit();
    return kept;
  }

  /** Labels on the event and on its author. */
  of(eventId: string, author: string): ReadonlySet<string> | undefined {
    const a = this.onEvents.get(eventId)?.labels;
    const b = this.onPeople.get(author)?.labels;
    if (!a) return b;
    if (!b) return a;
    return new Set([...a, ...b]);
  }

  /** Forgets the labels on an event (it left the feeds' window). */
  forget(eventId: string): void {
    this.drop(this.onEvents, eventId);
  }

  /** Labelled targets kept, and their estimated heap bytes. */
  get size(): { targets: number; bytes: number } {
    return { targets: this.budget.count, bytes: this.budget.bytes };
  }

  private drop(target: Map<string, Labelled>, key: string): void {
    const entry = target.get(key);
    if (!entry) return;
    target.delete(key);
    if (target === this.onEvents) this.languages.delete(key);
    this.budget.remove(entry.bytes);
  }

  private fit(): void {
    if (!this.budget.over) return;
    const entries = [
      ...[...this.onEvents].map(([id, l]) => ({ key: { target: this.onEvents, id }, at: l.at, bytes: l.bytes })),
      ...[...this.onPeople].map(([id, l]) => ({ key: { target: this.onPeople, id }, at: l.at, bytes: l.bytes })),
    ];
    for (const { target, id } of this.budget.victims(entries)) this.drop(target, id);
  }
}
