import type { NostrEvent } from '../nostr/types.ts';
import { serialise } from '../nostr/canonical.ts';

/**
 * A stored event: a small header with what every query checks without parsing JSON,
 * followed by the canonical JSON bytes that are sent to clients as they are.
 *
 *   0 flags | 1..3 kind u16 LE | 3..11 created_at f64 LE | 11..19 expiration f64 LE (only with
 *   FLAG_EXPIRES) | JSON
 *
 * The JSON is always canonical (relay/nostr/canonical.ts), so it starts with
 * `{"id":"<64 hex>","pubkey":"<64 hex>",`: id and pubkey are read from there, not stored twice.
 */
export const FLAGS_AT = 0;
export const FLAG_HELD = 1;
/** NIP-40: the header carries an expiration. */
const FLAG_EXPIRES = 2;
const SHORT_HEADER = 11;
const LONG_HEADER = 19;

const ID_IN_JSON = '{"id":"'.length;
const PUBKEY_IN_JSON = ID_IN_JSON + 64 + '","pubkey":"'.length;

/** The JSON to store: the given one when it has the canonical start (the ingest path), else rebuilt. */
function canonicalJson(e: NostrEvent, json: string): string {
  return json.startsWith(`{"id":"${e.id}","pubkey":"${e.pubkey}",`) ? json : serialise(e).json;
}

export function encodeRecord(e: NostrEvent, json: string, expiration: number, flags: number): Buffer {
  const body = canonicalJson(e, json);
  const jsonBytes = Buffer.byteLength(body);
  const header = expiration ? LONG_HEADER : SHORT_HEADER;
  const buf = Buffer.allocUnsafe(header + jsonBytes);
  buf.writeUInt8(expiration ? flags | FLAG_EXPIRES : flags & ~FLAG_EXPIRES, FLAGS_AT);
  buf.writeUInt16LE(e.kind, 1);
  buf.writeDoubleLE(e.created_at, 3);
  if (expiration) buf.writeDoubleLE(expiration, SHORT_HEADER);
  buf.write(body, header, jsonBytes, 'utf8');
  return buf;
}

/** A view over a stored record; fields are decoded on demand. */
export class StoredRecord {
  constructor(readonly buf: Buffer, readonly serial: number) {}
  /** Where the JSON starts. */
  private get jsonAt(): number {
    return this.buf[FLAGS_AT]! & FLAG_EXPIRES ? LONG_HEADER : SHORT_HEADER;
  }
  get id(): string {
    const at = this.jsonAt + ID_IN_JSON;
    return this.buf.toString('latin1', at, at + 64);
  }
  get pubkey(): string {
    const at = this.pubkeyAt;
    return this.buf.toString('latin1', at, at + 64);
  }
  /** Where the pubkey's 64 hex characters start in `buf`. */
  get pubkeyAt(): number {
    return this.jsonAt + PUBKEY_IN_JSON;
  }
  get createdAt(): number {
    return this.buf.readDoubleLE(3);
  }
  get expiration(): number {
    return this.buf[FLAGS_AT]! & FLAG_EXPIRES ? this.buf.readDoubleLE(SHORT_HEADER) : 0;
  }
  get kind(): number {
    return this.buf.readUInt16LE(1);
  }
  get flags(): number {
    return this.buf[FLAGS_AT]!;
  }
  get held(): boolean {
    return (this.flags & FLAG_HELD) !== 0;
  }
  /** The canonical JSON bytes, without copying. */
  get json(): Buffer {
    return this.buf.subarray(this.jsonAt);
  }
  /** The id as 32 bytes, in an array of its own (nothing else in its buffer). */
  idBytes(): Uint8Array {
    const out = new Uint8Array(32);
    Buffer.from(out.buffer).write(this.id, 'hex');
    return out;
  }
  /** Whether this is the event with this id (64 lower-case hex), without decoding. */
  idEquals(id: string): boolean {
    return this.id === id;
  }
  private parsed?: NostrEvent;
  event(): NostrEvent {
    return (this.parsed ??= JSON.parse(this.buf.toString('utf8', this.jsonAt)) as NostrEvent);
  }
  /** Expired at `now` (unix seconds), per NIP-40. */
  expiredAt(now: number): boolean {
    const exp = this.expiration;
    return exp !== 0 && now >= exp;
  }
}
