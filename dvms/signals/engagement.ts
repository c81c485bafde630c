import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Budget, type Caps } from './budget.ts';
import { KIND_GENERIC_REPOST, KIND_NOTE, KIND_REACTION, KIND_REPOST, KIND_ZAP_RECEIPT } from '../../relay/nostr/kinds.ts';

/** What counts as engaging with a post: reactions, reposts and zaps (replies are notes). */
export const ENGAGEMENT_KINDS: readonly number[] = [KIND_REACTION, KIND_REPOST, KIND_GENERIC_REPOST, KIND_ZAP_RECEIPT];

export type EngagementKind = 'reaction' | 'repost' | 'reply' | 'zap' | 'dislike';

/** How much an act says: a repost or a zap more than a like (a zap a little more with its amount), a dislike nothing. */
export function actWeight(kind: EngagementKind, sats = 0): number {
  return kind === 'reaction' ? 1 : kind === 'repost' ? 2 : kind === 'reply' ? 1.5 : kind === 'zap' ? 2 + Math.log10(1 + sats) / 2 : 0;
}

export interface Engagement {
  /** Who engaged and how (one entry per person and kind: a hundred likes by one person count once). */
  by: Map<string, { kind: EngagementKind; at: number; sats?: number }[]>;
  /**
   * The same engagers as numbers (PersonNumbers), each with the summed weight of their acts, in
   * `by`'s order (the first `by.size` slots): what a ranking reads for every candidate post, a
   * scan of two typed arrays instead of a walk over objects scattered in the heap.
   */
  people: Int32Array;
  weights: Float32Array;
  reactions: number;
  reposts: number;
  replies: number;
  zaps: number;
  zapSats: number;
  last: number;
  /** Acts recorded (entries of `by`), for the budget. */
  acts: number;
}

/** Estimated heap bytes of an engaged-with event's record, and of each act in it (its `by` and `byPerson` entries, their strings). */
const EVENT_BYTES = 560;
const ACT_BYTES = 456;

/** Twice the slots for a record's engagers (a popular post's hundreds arrive one by one). */
function grow(eng: Engagement): void {
  const people = new Int32Array(eng.people.length * 2);
  people.set(eng.people);
  const weights = new Float32Array(eng.weights.length * 2);
  weights.set(eng.weights);
  eng.people = people;
  eng.weights = weights;
}

export interface EngagementEvent {
  target: string;
  who: string;
  kind: EngagementKind;
  at: number;
  sats?: number;
}

/** The last `e` tag (NIP-25: the target is the last `e`), or for replies the `reply` marker. */
function targetOf(e: NostrEvent): string | undefined {
  const es = e.tags.filter((t) => t[0] === 'e' && t[1]);
  if (e.kind === KIND_NOTE) return (es.find((t) => t[3] === 'reply') ?? es.find((t) => t[3] === 'root') ?? es.at(-1))?.[1];
  return es.at(-1)?.[1];
}

/** Reads a kind 7 / 6 / 16 / reply / 9735 event as an engagement with another event. */
export function engagementOf(e: NostrEvent): EngagementEvent | undefined {
  if (!ENGAGEMENT_KINDS.includes(e.kind) && e.kind !== KIND_NOTE) return undefined;
  const target = targetOf(e);
  if (!target) return undefined;
  switch (e.kind) {
    case 7:
      return { target, who: e.pubkey, kind: e.content === '-' ? 'dislike' : 'reaction', at: e.created_at };
    case 6:
    case 16:
      return { target, who: e.pubkey, kind: 'repost', at: e.created_at };
    case 1:
      return { target, who: e.pubkey, kind: 'reply', at: e.created_at };
    default:
      return zapOf(e, target);
  }
}

/**
 * A zap receipt's sender is in its `description` (the 9734 zap request), not its signer (the
 * LNURL server). The amount is the request's `amount` (msats). Receipts are not proof of
 * payment: a zap counts once per sender like any engagement, and its weight grows only with log(sats).
 */
function zapOf(e: NostrEvent, target: string): EngagementEvent | undefined {
  const desc = e.tags.find((t) => t[0] === 'description')?.[1];
  if (!desc) return undefined;
  try {
    const req = JSON.parse(desc) as { pubkey?: unknown; tags?: unknown };
    if (typeof req.pubkey !== 'string' || !Array.isArray(req.tags)) return undefined;
    const tags = req.tags as string[][];
    const eTag = tags.find((t) => t[0] === 'e')?.[1];
    if (eTag !== undefined && eTag !== target) return undefined;
    const msats = Number(tags.find((t) => t[0] === 'amount')?.[1] ?? 0);
    return { target, who: req.pubkey, kind: 'zap', at: e.created_at, sats: Number.isFinite(msats) ? Math.floor(msats / 1000) : 0 };
  } catch {
    return undefined;
  }
}

/**
 * People as small numbers (their index in `names`), so that a ranking can keep what it decided
 * about each engager in a typed array. Renumbered when most numbers belong to people no longer
 * in the window (EngagementIndex.prune).
 */
export class PersonNumbers {
  private readonly numbers = new Map<string, number>();
  readonly names: string[] = [];

  of(pubkey: string): number {
    let n = this.numbers.get(pubkey);
    if (n === undefined) this.numbers.set(pubkey, (n = this.names.push(pubkey) - 1));
    return n;
  }

  get size(): number {
    return this.names.length;
  }
}

/**
 * Engagement per event and per person, kept incrementally from stored events: who reacted,
 * reposted, replied or zapped (and when, for velocity), and what each person engaged with
 * (for their interests). Bounded by `caps`: acts (one per person, kind and event) and their
 * estimated bytes; past either the events whose last activity is oldest are forgotten.
 */
export class EngagementIndex {
  readonly byEvent = new Map<string, Engagement>();
  /** Person → events they engaged with positively (id → time). */
  readonly byPerson = new Map<string, Map<string, number>>();
  /** The numbers in every record's `people`; replaced when renumbered. */
  numbers = new PersonNumbers();
  private readonly budget: Budget;

  constructor(caps: Caps = { maxCount: Infinity, maxBytes: Infinity }) {
    this.budget = new Budget(caps);
  }

  /** Returns the engagement when it is new (a repeat of the same person and kind is not). */
  add(x: EngagementEvent): EngagementEvent | undefined {
    let eng = this.byEvent.get(x.target);
    if (!eng) {
      if (!this.budget.admits(x.at)) return undefined;
      this.byEvent.set(x.target, (eng = { by: new Map(), people: new Int32Array(4), weights: new Float32Array(4), reactions: 0, reposts: 0, replies: 0, zaps: 0, zapSats: 0, last: 0, acts: 0 }));
      this.budget.add(EVENT_BYTES, 0);
    }
    const mine = eng.by.get(x.who);
    if (mine?.some((m) => m.kind === x.kind)) return undefined;
    if (mine) {
      mine.push({ kind: x.kind, at: x.at, sats: x.sats });
      eng.weights[eng.people.indexOf(this.numbers.of(x.who))] += actWeight(x.kind, x.sats);
    } else {
      const slot = eng.by.size;
      eng.by.set(x.who, [{ kind: x.kind, at: x.at, sats: x.sats }]);
      if (slot === eng.people.length) grow(eng);
      eng.people[slot] = this.numbers.of(x.who);
      eng.weights[slot] = actWeight(x.kind, x.sats);
    }
    eng.acts++;
    this.budget.add(ACT_BYTES);
    if (x.kind === 'reaction') eng.reactions++;
    else if (x.kind === 'repost') eng.reposts++;
    else if (x.kind === 'reply') eng.replies++;
    else if (x.kind === 'zap') (eng.zaps++, (eng.zapSats += x.sats ?? 0));
    eng.last = Math.max(eng.last, x.at);
    if (x.kind !== 'dislike') {
      let p = this.byPerson.get(x.who);
      if (!p) this.byPerson.set(x.who, (p = new Map()));
      p.set(x.target, x.at);
    }
    this.fit();
    return this.byEvent.has(x.target) ? x : undefined;
  }

  get(id: string): Engagement | undefined {
    return this.byEvent.get(id);
  }

  /** Raw count (the engagement-count baseline). */
  count(id: string): number {
    const e = this.byEvent.get(id);
    return e ? e.reactions + e.reposts + e.replies + e.zaps : 0;
  }

  engagedWith(person: string, id: string): boolean {
    return this.byPerson.get(person)?.has(id) ?? false;
  }

  /** Forgets the engagement with one event (it left the feeds' window). */
  forget(id: string): void {
    const eng = this.byEvent.get(id);
    if (!eng) return;
    this.byEvent.delete(id);
    for (const who of eng.by.keys()) {
      const p = this.byPerson.get(who);
      p?.delete(id);
      if (p?.size === 0) this.byPerson.delete(who);
    }
    this.budget.remove(EVENT_BYTES + eng.acts * ACT_BYTES, eng.acts);
  }

  /** Forgets engagement whose last activity is older than `before` (unix s), and the numbers of people gone with it. */
  prune(before: number): void {
    for (const [id, e] of this.byEvent) if (e.last < before) this.forget(id);
    if (this.numbers.size > 2 * this.byPerson.size + 1024) this.renumber();
  }

  /** Numbers for the people still engaged only (a village's window turns over; its people numbers would only grow). */
  private renumber(): void {
    const numbers = new PersonNumbers();
    for (const eng of this.byEvent.values()) {
      let slot = 0;
      for (const who of eng.by.keys()) eng.people[slot++] = numbers.of(who);
    }
    this.numbers = numbers;
  }

  /** Acts kept, and their estimated heap bytes. */
  get size(): { acts: number; bytes: number } {
    return { acts: this.budget.count, bytes: this.budget.bytes };
  }

  private fit(): void {
    if (!this.budget.over) return;
    const entries = [...this.byEvent].map(([key, e]) => ({ key, at: e.last, bytes: EVENT_BYTES + e.acts * ACT_BYTES, count: e.acts }));
    for (const id of this.budget.victims(entries)) this.forget(id);
  }
}
