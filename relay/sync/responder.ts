import { Negentropy, type NegentropyStorageVector } from './negentropy.ts';

/** Negentropy protocol V1. */
export const NEG_VERSION = 0x61;
const ID_SIZE = 32;
const FINGERPRINT_SIZE = 16;
const MODE_SKIP = 0;
const MODE_FINGERPRINT = 1;
const MODE_ID_LIST = 2;

type Item = { timestamp: number; id: Uint8Array };

/** A growable byte buffer with the shape nostr-tools' Negentropy helpers read and write. */
class Bytes {
  _raw: Uint8Array;
  length: number;
  constructor(init?: Uint8Array) {
    this._raw = init ?? new Uint8Array(256);
    this.length = init ? init.length : 0;
  }
  get capacity(): number {
    return this._raw.byteLength;
  }
  unwrap(): Uint8Array {
    return this._raw.subarray(0, this.length);
  }
  extend(buf: Uint8Array | { unwrap(): Uint8Array }): void {
    const b = buf instanceof Uint8Array ? buf : buf.unwrap();
    if (this.capacity < this.length + b.length) {
      const grown = new Uint8Array(Math.max(this.capacity * 2, this.length + b.length));
      grown.set(this._raw.subarray(0, this.length));
      this._raw = grown;
    }
    this._raw.set(b, this.length);
    this.length += b.length;
  }
  shift(): number {
    if (this.length === 0) throw new Error('parse ends prematurely');
    const first = this._raw[0]!;
    this._raw = this._raw.subarray(1);
    this.length--;
    return first;
  }
  shiftN(n = 1): Uint8Array {
    if (this.length < n) throw new Error('parse ends prematurely');
    const out = this._raw.subarray(0, n);
    this._raw = this._raw.subarray(n);
    this.length -= n;
    return out;
  }
}

function varint(n: number): Uint8Array {
  if (n === 0) return Uint8Array.of(0);
  const out: number[] = [];
  while (n > 0) {
    out.push(n % 128);
    n = Math.floor(n / 128);
  }
  out.reverse();
  for (let i = 0; i < out.length - 1; i++) out[i]! |= 0x80;
  return Uint8Array.from(out);
}

function readVarint(b: Bytes): number {
  let n = 0;
  for (;;) {
    const byte = b.shift();
    n = n * 128 + (byte & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER) throw new Error('varint too large');
    if ((byte & 0x80) === 0) return n;
  }
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** What the first byte of a client message says about its protocol version. */
export function versionOf(hex: string): 'ok' | 'unsupported' | 'invalid' {
  const v = parseInt(hex.slice(0, 2), 16);
  if (v === NEG_VERSION) return 'ok';
  return v >= 0x60 && v <= 0x6f ? 'unsupported' : 'invalid';
}

/**
 * The relay's (non-initiator) side of negentropy V1. nostr-tools' `Negentropy.reconcile` only
 * plays the initiator: answering an IdList it records have/need and sends nothing back, so
 * a client could never learn the relay's ids. This follows the reference implementation
 * (hoytech/negentropy, `reconcile` with isInitiator false): IdList ranges are answered with
 * the relay's ids, cut at the frame size limit with a fingerprint for the rest, and the reply
 * always carries at least the version byte.
 */
export class NegentropyResponder extends Negentropy {
  constructor(storage: NegentropyStorageVector, frameSizeLimit: number) {
    super(storage, frameSizeLimit);
  }

  /** Answers one client message (hex); throws on malformed input. */
  respond(queryHex: string): string {
    const query = new Bytes(Buffer.from(queryHex, 'hex'));
    const storage = this.storage;
    const helpers = this as unknown as {
      decodeBound(b: Bytes): Item;
      encodeBound(b: Item): { unwrap(): Uint8Array };
      splitRange(lower: number, upper: number, bound: Item, o: Bytes): void;
    };
    this.lastTimestampIn = this.lastTimestampOut = 0;
    const out = new Bytes();
    out.extend(Uint8Array.of(NEG_VERSION));
    if (query.shift() !== NEG_VERSION) return Buffer.from([NEG_VERSION]).toString('hex');

    const size = storage.size();
    let prevBound: Item = { timestamp: 0, id: new Uint8Array(0) };
    let prevIndex = 0;
    let skip = false;
    while (query.length > 0) {
      let o = new Bytes();
      const doSkip = () => {
        if (!skip) return;
        skip = false;
        o.extend(helpers.encodeBound(prevBound));
        o.extend(varint(MODE_SKIP));
      };
      const currBound = helpers.decodeBound(query);
      const mode = readVarint(query);
      const lower = prevIndex;
      let upper = storage.findLowerBound(prevIndex, size, currBound);
      if (mode === MODE_SKIP) {
        skip = true;
      } else if (mode === MODE_FINGERPRINT) {
        const theirs = query.shiftN(FINGERPRINT_SIZE);
        if (equalBytes(theirs, storage.fingerprint(lower, upper))) skip = true;
        else {
          doSkip();
          helpers.splitRange(lower, upper, currBound, o);
        }
      } else if (mode === MODE_ID_LIST) {
        const count = readVarint(query);
        query.shiftN(count * ID_SIZE);
        doSkip();
        const ids = new Bytes();
        let n = 0;
        let endBound: Item = currBound;
        storage.iterate(lower, upper, (item, index) => {
          if (this.exceededFrameSizeLimit(out.length + ids.length)) {
            // Cut here; the fingerprint below covers the rest, so the client asks again.
            endBound = item;
            upper = index;
            return false;
          }
          ids.extend(item.id);
          n++;
          return true;
        });
        o.extend(helpers.encodeBound(endBound));
        o.extend(varint(MODE_ID_LIST));
        o.extend(varint(n));
        o.extend(ids.unwrap());
        out.extend(o.unwrap());
        o = new Bytes();
      } else {
        throw new Error('unexpected mode');
      }
      if (this.exceededFrameSizeLimit(out.length + o.length)) {
        out.extend(helpers.encodeBound({ timestamp: Number.MAX_VALUE, id: new Uint8Array(0) }));
        out.extend(varint(MODE_FINGERPRINT));
        out.extend(storage.fingerprint(upper, size));
        break;
      }
      out.extend(o.unwrap());
      prevIndex = upper;
      prevBound = currBound;
    }
    return Buffer.from(out.unwrap()).toString('hex');
  }
}
