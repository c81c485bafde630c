import { KIND_DELETION, KIND_VANISH } from '../../relay/nostr/kinds.ts';
import { addressOf } from '../../relay/nostr/tags.ts';

interface Candidate {
  id: string;
  pubkey: string;
  kind: number;
  tags: string[][];
}

/** The fields the store's ordering rules read, when the line has them (ingest judges the rest). */
function candidate(raw: unknown): Candidate | undefined {
  const e = raw as Partial<Candidate> | null;
  if (typeof e !== 'object' || e === null) return undefined;
  if (typeof e.id !== 'string' || typeof e.pubkey !== 'string' || typeof e.kind !== 'number' || !Array.isArray(e.tags)) return undefined;
  if (!e.tags.every((t) => Array.isArray(t) && t.every((v) => typeof v === 'string'))) return undefined;
  return e as Candidate;
}

/**
 * What an event touches in the store: its id, its replaceable/addressable slot, and for a
 * deletion the ids and addresses it names. Two events sharing a key must be written in order.
 */
function keysOf(e: Candidate): string[] {
  const keys = [`id:${e.id}`];
  const address = addressOf(e);
  if (address) keys.push(`a:${address.kind}:${address.pubkey}:${address.d}`);
  if (e.kind === KIND_DELETION) {
    for (const t of e.tags) {
      if (t[0] === 'e' && t[1]) keys.push(`id:${t[1]}`);
      if (t[0] === 'a' && t[1]) keys.push(`a:${t[1]}`);
    }
  }
  return keys;
}

/**
 * The events of an import batch in flight, by what they touch. An event that shares a key with
 * one of them, or a NIP-62 vanish request (which touches all of an author's events and the gift
 * wraps to them), must wait until the batch is written.
 */
export class WriteOrder {
  private readonly keys = new Set<string>();
  private barrier = false;

  mustWait(raw: unknown): boolean {
    if (this.barrier) return true;
    const e = candidate(raw);
    if (!e) return false;
    if (e.kind === KIND_VANISH) return true;
    return keysOf(e).some((k) => this.keys.has(k));
  }

  add(raw: unknown): void {
    const e = candidate(raw);
    if (!e) return;
    if (e.kind === KIND_VANISH) this.barrier = true;
    for (const k of keysOf(e)) this.keys.add(k);
  }

  clear(): void {
    this.keys.clear();
    this.barrier = false;
  }
}
