import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Filter } from './types.ts';
import { isHex64 } from './hex.ts';

/**
 * NIP-45 HyperLogLog: 256 one-byte registers over the counted events' pubkeys, at an offset
 * derived from the filter so that relays agree and clients can merge answers.
 */
export function hllOffset(filter: Filter): number | undefined {
  const first = filter.tags?.entries().next().value as [string, string[]] | undefined;
  const value = first?.[1][0];
  if (value === undefined) return undefined;
  let hex: string;
  if (/^[0-9a-f]{64}$/.test(value)) hex = value;
  else {
    const parts = value.split(':');
    hex = parts.length >= 3 && isHex64(parts[1]) ? parts[1]! : bytesToHex(sha256(new TextEncoder().encode(value)));
  }
  return parseInt(hex[32]!, 16) + 8;
}

export class Hll {
  readonly registers = new Uint8Array(256);
  constructor(private readonly offset: number) {}

  add(pubkeyHex: string): void {
    const pk = hexToBytes(pubkeyHex);
    this.observe(pk[this.offset]!, (i) => pk[this.offset + i]!);
  }

  /**
   * The same, from a pubkey's 64 lower-case hex characters at `at` in `ascii` (a stored record's
   * JSON): only the 8 bytes the register needs are decoded, and no string is made.
   */
  addHexAt(ascii: Uint8Array, at: number): void {
    const byte = (k: number): number => (nibble(ascii[at + 2 * k]!) << 4) | nibble(ascii[at + 2 * k + 1]!);
    this.observe(byte(this.offset), (i) => byte(this.offset + i));
  }

  private observe(index: number, next: (i: number) => number): void {
    // Leading zero bits over the next 7 bytes (56 bits), plus one.
    let zeros = 0;
    for (let i = 1; i <= 7; i++) {
      const b = next(i);
      if (b === 0) {
        zeros += 8;
        continue;
      }
      zeros += Math.clz32(b) - 24;
      break;
    }
    const value = zeros + 1;
    if (value > this.registers[index]!) this.registers[index] = value;
  }

  hex(): string {
    return bytesToHex(this.registers);
  }

  /** The standard estimate (with linear counting for small sets), as go-nostr computes it. */
  estimate(): number {
    const m = 256;
    let sum = 0;
    let zeros = 0;
    for (const r of this.registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (0.7182725932495458 * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}

/** A lower-case hex digit's value ('0'-'9' are 48-57, 'a'-'f' 97-102). */
const nibble = (c: number): number => (c <= 57 ? c - 48 : c - 87);
