import type { NostrEvent } from '../nostr/types.ts';
import { KIND_DELETION, KIND_EPHEMERAL_GIFT_WRAP, KIND_GIFT_WRAP, KIND_VANISH } from '../nostr/kinds.ts';
import { addressOf, expirationOf, pTags } from '../nostr/tags.ts';
import { isHex64 } from '../nostr/hex.ts';
import type { Tables } from './env.ts';
import { indexEntries, wordEntries } from './indexes.ts';
import { lastSerial, readWordsThrough, WORDS_THROUGH_KEY } from './wordsThrough.ts';
import { peekRecord } from './peek.ts';
import { addressKey, ALL_KEY, hexBytes, idKey, readTs, serialBytes, serialOf, tagPrefix, tsBytes } from './keys.ts';
import { encodeRecord, FLAG_HELD, FLAGS_AT, StoredRecord } from './record.ts';
import { scanIndex } from './scan.ts';
import { loadById } from './ids.ts';

export type WriteOutcome =
  | { status: 'stored'; serial: number }
  | { status: 'duplicate'; message: string }
  | { status: 'rejected'; message: string };

export interface MutationOptions {
  /** Kinds whose content is not word-indexed (encrypted DMs, gift wraps). */
  unsearchableKinds: ReadonlySet<number>;
  searchEnabled: boolean;
}

/** Whether an `e` tombstone (the requesters' pubkeys, 32 bytes each) names this pubkey. */
function deletedBy(tombstone: Buffer | undefined, pubkey: string): boolean {
  if (!tombstone) return false;
  const pk = hexBytes(pubkey);
  for (let at = 0; at + 32 <= tombstone.length; at += 32) if (tombstone.compare(pk, 0, 32, at, at + 32) === 0) return true;
  return false;
}

const isGiftWrap = (kind: number): boolean => kind === KIND_GIFT_WRAP || kind === KIND_EPHEMERAL_GIFT_WRAP;

/** Whether a gift wrap is addressed (`p`) to this pubkey: its recipient may delete it. */
const isWrapFor = (e: Pick<NostrEvent, 'kind' | 'tags'>, pubkey: string): boolean => isGiftWrap(e.kind) && pTags(e).includes(pubkey);

/**
 * Why an event may not be published again after a NIP-09 deletion the relay honoured: by its
 * author, or (gift wraps, whose author is a throwaway key) by a recipient. Undefined otherwise.
 */
export function tombstoned(t: Pick<Tables, 'deletedIds'>, e: NostrEvent): string | undefined {
  const tombstone = t.deletedIds.get(hexBytes(e.id));
  if (!tombstone) return undefined;
  if (deletedBy(tombstone, e.pubkey)) return 'blocked: this event was deleted by its author';
  if (isGiftWrap(e.kind) && pTags(e).some((p) => isHex64(p) && deletedBy(tombstone, p))) return 'blocked: this gift wrap was deleted by its recipient';
  return undefined;
}

/**
 * What storing one event does to the tables, run inside a write transaction: duplicate and
 * tombstone checks, replaceable/addressable slots, NIP-09 deletions and NIP-62 vanishing.
 */
export class Mutations {
  constructor(private readonly t: Tables, private readonly opts: MutationOptions) {}

  /**
   * The next record serial, read inside the write transaction: another process (an import
   * while the relay runs) may have written since, and LMDB serialises writers across processes.
   */
  private nextSerial(): number {
    this.lastSerial = this.last() + 1;
    return this.lastSerial;
  }

  /** The newest record's serial (0 for none). */
  private last(): number {
    return (this.lastSerial ??= lastSerial(this.t));
  }

  /** Last serial handed out in the current write transaction; read again at the next one. */
  private lastSerial: number | undefined;
  /** Serials up to this one have their words in the index (wordsThrough.ts); read again at each transaction. */
  private wordsThrough: number | undefined;

  /** The writer calls this at the start of every write transaction (see nextSerial). */
  beginTransaction(): void {
    this.lastSerial = undefined;
    this.wordsThrough = undefined;
  }

  private indexedThrough(): number {
    return (this.wordsThrough ??= readWordsThrough(this.t));
  }

  private searchable(kind: number): boolean {
    return this.opts.searchEnabled && !this.opts.unsearchableKinds.has(kind);
  }

  /**
   * Writes the NIP-50 words of up to `max` records stored since the index was last brought up to
   * date, oldest first, and moves the mark past them; returns how many serials remain. Records
   * removed meanwhile are skipped (their serial may come back: see insert).
   */
  indexWords(max: number): number {
    const t = this.t;
    const through = this.indexedThrough();
    const last = this.last();
    // With search off no words are written (as before the mark): the mark only follows the records.
    const end = this.opts.searchEnabled ? Math.min(last, through + max) : last;
    for (let serial = through + 1; serial <= end && this.opts.searchEnabled; serial++) {
      const rec = peekRecord(t, serial);
      if (!rec || !this.searchable(rec.kind)) continue;
      for (const [table, key, value] of wordEntries(t, rec.event(), serial)) table.put(key, value);
    }
    if (end > through) {
      t.meta.put(WORDS_THROUGH_KEY, end);
      this.wordsThrough = end;
    }
    return last - end;
  }

  /** `vanish`: the event is a NIP-62 request that names this relay. */
  store(e: NostrEvent, json: string, held: boolean, vanish = false): WriteOutcome {
    const t = this.t;
    if (this.loadById(e.id)) return { status: 'duplicate', message: 'duplicate: already have this event' };
    const deleted = tombstoned(t, e);
    if (deleted) return { status: 'rejected', message: deleted };
    const vanishedUntil = t.vanished.get(hexBytes(e.pubkey));
    if (vanishedUntil && e.created_at <= readTs(vanishedUntil, 0)) {
      return { status: 'rejected', message: 'blocked: this author has vanished from this relay' };
    }

    const address = addressOf(e);
    if (address) {
      const slot = addressKey(address.pubkey, address.kind, address.d);
      const deletedUntil = t.deletedAddresses.get(slot);
      if (deletedUntil && e.created_at <= readTs(deletedUntil, 0)) {
        return { status: 'rejected', message: 'blocked: this address was deleted by its author' };
      }
      const current = t.addresses.get(slot);
      if (current) {
        const old = this.load(current.readUInt32BE(0));
        if (old) {
          // Newest wins; on a tie the lowest id wins (NIP-01).
          const oldWins = old.createdAt > e.created_at || (old.createdAt === e.created_at && old.id < e.id);
          if (oldWins) return { status: 'rejected', message: 'duplicate: have a newer version of this replaceable event' };
          this.remove(old);
        }
      }
    }

    if (e.kind === KIND_DELETION) {
      const refusal = this.checkDeletion(e);
      if (refusal) return { status: 'rejected', message: refusal };
    }

    const serial = this.insert(e, json, held);
    if (address) t.addresses.put(addressKey(address.pubkey, address.kind, address.d), serialBytes(serial));
    if (e.kind === KIND_DELETION) this.applyDeletion(e);
    if (e.kind === KIND_VANISH && vanish) this.vanish(e, serial);
    return { status: 'stored', serial };
  }

  private insert(e: NostrEvent, json: string, held: boolean): number {
    const t = this.t;
    const serial = this.nextSerial();
    const expiration = expirationOf(e);
    // Serials only grow (nextSerial), so the record goes at the end: append fills pages instead of splitting them.
    const appended = t.events.putSync(serial, encodeRecord(e, json, expiration, held ? FLAG_HELD : 0), { append: true }) as unknown as boolean;
    // lmdb-js reports a refused append (a serial not above the last) as false, not as an error.
    if (!appended) throw new Error(`store: serial ${serial} is not above the last record`);
    t.ids.put(idKey(e.id), serialBytes(serial));
    // Words are written after the commit (wordIndexer.ts), unless this serial is one the mark has
    // passed already: the newest record was removed in this transaction and its serial came back.
    const searchable = this.searchable(e.kind) && serial <= this.indexedThrough();
    for (const [table, key, value] of indexEntries(t, e, serial, { searchable, expiration })) table.put(key, value);
    return serial;
  }

  load(serial: number): StoredRecord | undefined {
    const buf = this.t.events.get(serial);
    return buf ? new StoredRecord(buf, serial) : undefined;
  }

  loadById(id: string): StoredRecord | undefined {
    return loadById(this.t, id);
  }

  /** Deletes a record and every index entry that points at it. */
  remove(rec: StoredRecord): void {
    const t = this.t;
    const e = rec.event();
    const searchable = this.searchable(e.kind) && rec.serial <= this.indexedThrough();
    for (const [table, key, value] of indexEntries(t, e, rec.serial, { searchable, expiration: rec.expiration })) table.remove(key, value);
    t.ids.remove(idKey(e.id), serialBytes(rec.serial));
    const address = addressOf(e);
    if (address) {
      const slot = addressKey(address.pubkey, address.kind, address.d);
      const current = t.addresses.get(slot);
      if (current && current.readUInt32BE(0) === rec.serial) t.addresses.remove(slot);
    }
    t.events.remove(rec.serial);
  }

  setHeld(rec: StoredRecord, held: boolean): void {
    const buf = Buffer.from(rec.buf);
    buf[FLAGS_AT] = held ? buf[FLAGS_AT]! | FLAG_HELD : buf[FLAGS_AT]! & ~FLAG_HELD;
    this.t.events.put(rec.serial, buf);
  }

  /** A deletion may not name someone else's stored event (gift wraps addressed to the deleter excepted). */
  private checkDeletion(del: NostrEvent): string | undefined {
    for (const tag of del.tags) {
      if (tag[0] === 'e' && isHex64(tag[1])) {
        const target = this.loadById(tag[1]);
        if (target && target.pubkey !== del.pubkey && !isWrapFor(target.event(), del.pubkey)) {
          return "blocked: cannot delete another author's event";
        }
      } else if (tag[0] === 'a' && tag[1] !== undefined) {
        const pubkey = tag[1].split(':')[1];
        if (pubkey !== del.pubkey) return "blocked: cannot delete another author's address";
      }
    }
    return undefined;
  }

  private applyDeletion(del: NostrEvent): void {
    const t = this.t;
    for (const tag of del.tags) {
      if (tag[0] === 'e' && isHex64(tag[1])) {
        const target = this.loadById(tag[1]);
        // Deleting a deletion or a vanish request has no effect (NIP-09, NIP-62).
        if (target && (target.kind === KIND_DELETION || target.kind === KIND_VANISH)) continue;
        const honoured = !target || target.pubkey === del.pubkey || isWrapFor(target.event(), del.pubkey);
        if (target) this.remove(target);
        if (honoured) {
          // Until the event is seen its author is unknown: keep every requester, so another key's
          // request for the same id cannot overwrite (and so undo) the author's tombstone. A gift
          // wrap's recipient is kept too: the same wrap sent again is refused (tombstoned()).
          // Ephemeral wraps (21059) are never stored, so their deletion is always of an unseen id.
          const key = hexBytes(tag[1]);
          const prior = t.deletedIds.get(key);
          if (!deletedBy(prior, del.pubkey)) t.deletedIds.put(key, prior ? Buffer.concat([prior, hexBytes(del.pubkey)]) : hexBytes(del.pubkey));
        }
      } else if (tag[0] === 'a' && tag[1] !== undefined) {
        const [kindText, pubkey, ...rest] = tag[1].split(':');
        const kind = Number(kindText);
        if (!Number.isInteger(kind) || kind < 0 || kind > 65535 || !isHex64(pubkey)) continue;
        const slot = addressKey(pubkey, kind, rest.join(':'));
        const current = t.addresses.get(slot);
        if (current) {
          const rec = this.load(current.readUInt32BE(0));
          if (rec && rec.createdAt <= del.created_at) this.remove(rec);
        }
        const prior = t.deletedAddresses.get(slot);
        if (!prior || readTs(prior, 0) < del.created_at) t.deletedAddresses.put(slot, tsBytes(del.created_at));
      }
    }
  }

  /** NIP-62: every event of the author up to the request, and gift wraps addressed to them, go for good. */
  private vanish(req: NostrEvent, keepSerial: number): void {
    const t = this.t;
    const doomed = new Set<number>();
    const collect = (table: typeof t.pubkeys, key: Buffer, filterKind?: number) => {
      for (const value of scanIndex(table, key, undefined, req.created_at, true)) {
        const serial = serialOf(value);
        if (serial === keepSerial) continue;
        if (filterKind === undefined || this.load(serial)?.kind === filterKind) doomed.add(serial);
      }
    };
    collect(t.pubkeys, hexBytes(req.pubkey));
    collect(t.tags, tagPrefix('p', req.pubkey), KIND_GIFT_WRAP);
    for (const serial of doomed) {
      const rec = this.load(serial);
      if (rec) this.remove(rec);
    }
    const key = hexBytes(req.pubkey);
    const prior = t.vanished.get(key);
    if (!prior || readTs(prior, 0) < req.created_at) t.vanished.put(key, tsBytes(req.created_at));
  }

  /** NIP-40: removes events whose expiration has passed; returns how many. */
  sweepExpired(now: number, max: number): number {
    let n = 0;
    const serials: number[] = [];
    for (const value of scanIndex(this.t.expiry, ALL_KEY, undefined, now, true, max)) serials.push(serialOf(value));
    for (const serial of serials) {
      const rec = this.load(serial);
      if (rec && rec.expiredAt(now)) {
        this.remove(rec);
        n++;
      }
    }
    return n;
  }
}
