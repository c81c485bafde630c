import type { NostrEvent } from '../nostr/types.ts';

/**
 * A stored event: a fixed header with what every query checks without parsing JSON,
 * followed by the canonical JSON bytes that are sent to clients as they are.
 *
 *   0..32 id | 32..64 pubkey | 64..72 created_at f64 | 72..80 expiration f64 (0: none)
 *   80..82 kind u16 | 82 flags | 83.. JSON
 */
export const HEADER_BYTES = 83;
export const FLAG_HELD = 1;

export function encodeRecord(e: NostrEvent, json: string, expiration: number, flags: number): Buffer {
  const jsonBytes = Buffer.byteLength(json);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + jsonBytes);
  buf.write(e.id, 0, 32, 'hex');
  buf.write(e.pubkey, 32, 32, 'hex');
  buf.writeDoubleLE(e.created_at, 64);
  buf.writeDoubleLE(expiration, 72);
  buf.writeUInt16LE(e.kind, 80);
  buf.writeUInt8(flags, 82);
  buf.write(json, HEADER_BYTES, jsonBytes, 'utf8');
  return buf;
}

/** A view over a stored record; fields are decoded on demand. */
export class StoredRecord {
  constructor(readonly buf: Buffer, readonly serial: number) {}
  get id(): string {
    return this.buf.toString('hex', 0, 32);
  }
  get pubkey(): string {
    return this.buf.toString('hex', 32, 64);
  }
  get createdAt(): number {
    return this.buf.readDoubleLE(64);
  }
  get expiration(): number {
    return this.buf.readDoubleLE(72);
  }
  get kind(): number {
    return this.buf.readUInt16LE(80);
  }
  get flags(): number {
    return this.buf[82]!;
  }
  get held(): boolean {
    return (this.flags & FLAG_HELD) !== 0;
  }
  /** The canonical JSON bytes, without copying. */
  get json(): Buffer {
    return this.buf.subarray(HEADER_BYTES);
  }
  pubkeyEquals(pubkeyBytes: Buffer): boolean {
    return this.buf.compare(pubkeyBytes, 0, 32, 32, 64) === 0;
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
