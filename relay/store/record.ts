import type { NostrEvent } from '../nostr/types.ts';
import { serialise } from '../nostr/canonical.ts';

/**
 * A stored event: a small header with what every query checks without parsing JSON,
 * followed by the canonical JSON bytes that are sent to clients as they are.
 *
 *   0..8 created_at f64 | 8..16 expiration f64 (0: none) | 16..18 kind u16 | 18 flags | 19.. JSON
 *
 * The JSON is always canonical (relay/nostr/canonical.ts), so it starts with
 * `{"id":"<64 hex>","pubkey":"<64 hex>",`: id and pubkey are read from there, not stored twice.
 */
export const HEADER_BYTES = 19;
export const FLAGS_AT = 18;
export const FLAG_HELD = 1;

const ID_AT = HEADER_BYTES + '{"id":"'.length;
const PUBKEY_AT = ID_AT + 64 + '","pubkey":"'.length;

/** The JSON to store: the given one when it has the canonical start (the ingest path), else rebuilt. */
function canonicalJson(e: NostrEvent, json: string): string {
  return json.startsWith(`{"id":"${e.id}","pubkey":"${e.pubkey}",`) ? json : serialise(e).json;
}

export function encodeRecord(e: NostrEvent, json: string, expiration: number, flags: number): Buffer {
  const body = canonicalJson(e, json);
  const jsonBytes = Buffer.byteLength(body);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + jsonBytes);
  buf.writeDoubleLE(e.created_at, 0);
  buf.writeDoubleLE(expiration, 8);
  buf.writeUInt16LE(e.kind, 16);
  buf.writeUInt8(flags, FLAGS_AT);
  buf.write(body, HEADER_BYTES, jsonBytes, 'utf8');
  return buf;
}

/** A view over a stored record; fields are decoded on demand. */
export class StoredRecord {
  constructor(readonly buf: Buffer, readonly serial: number) {}
  get id(): string {
    return this.buf.toString('latin1', ID_AT, ID_AT + 64);
  }
  get pubkey(): string {
    return this.buf.toString('latin1', PUBKEY_AT, PUBKEY_AT + 64);
  }
  get createdAt(): number {
    return this.buf.readDoubleLE(0);
  }
  get expiration(): number {
    return this.buf.readDoubleLE(8);
  }
  get kind(): number {
    return this.buf.readUInt16LE(16);
  }
  get flags(): number {
    return this.buf[FLAGS_AT]!;
  }
  get held(): boolean {
    return (this.flags & FLAG_HELD) !== 0;
  }
  /** The canonical JSON bytes, without copying. */
  get json(): Buffer {
    return this.buf.subarray(HEADER_BYTES);
  }
  /** The id as 32 bytes, in an array of its own (nothing else in its buffer). */
  idBytes(): Uint8Array {
    const out = new Uint8Array(32);
    Buffer.from(out.buffer).write(this.id, 'hex');
    return out;
  }
  /** Whether this is the event with this id (64 lower-case hex), without decoding. */
  idEquals(id: string): boolean {
    return this.buf.toString('latin1', ID_AT, ID_AT + 64) === id;
  }
  private parsed?: NostrEvent;
  event(): NostrEvent {
    return (this.parsed ??= JSON.parse(this.buf.toString('utf8', HEADER_BYTES)) as NostrEvent);
  }
  /** Expired at `now` (unix seconds), per NIP-40. */
  expiredAt(now: number): boolean {
    const exp = this.expiration;
    return exp !== 0 && now >= exp;
  }
}
