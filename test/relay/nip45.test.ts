import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Author } from '../helpers/client.ts';
import { Hll, hllOffset } from '../../relay/nostr/hll.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();

describe('NIP-45 COUNT', () => {
  it('counts matches of several filters once each, ignoring limit, and refuses with CLOSED', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const b = new Author();
    for (let i = 0; i < 5; i++) await c.publish(a.sign({ content: `a${i}` }));
    for (let i = 0; i < 3; i++) await c.publish(b.sign({ kind: 7, content: `+${i}` }));
    c.send(['COUNT', 'q1', { authors: [a.pubkey], limit: 1 }, { kinds: [1] }, { kinds: [7] }]);
    expect(await c.next((f) => f[1] === 'q1')).toEqual(['COUNT', 'q1', { count: 8 }]);
    c.send(['COUNT', 'q2', { '#emoji': ['x'] }]);
    expect(await c.next((f) => f[1] === 'q2')).toEqual(['CLOSED', 'q2', 'invalid: filter contains unknown elements']);
  });

  it('returns HLL registers for a filter with a tag, at the offset NIP-45 derives', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const target = new Author().sign();
    await c.publish(target);
    const reactors = Array.from({ length: 40 }, () => new Author());
    for (const who of reactors) await c.publish(who.sign({ kind: 7, content: '+', tags: [['e', target.id]] }));
    c.send(['COUNT', 'r', { '#e': [target.id], kinds: [7] }]);
    const [, , body] = (await c.next((f) => f[1] === 'r')) as [string, string, { count: number; hll: string }];
    expect(body.count).toBe(40);
    expect(body.hll).toMatch(/^[0-9a-f]{512}$/);
    // The same registers, computed here from the spec's description.
    const offset = parseInt(target.id[32]!, 16) + 8;
    const expected = new Uint8Array(256);
    for (const who of reactors) {
      const pk = Buffer.from(who.pubkey, 'hex');
      let zeros = 0;
      for (let i = offset + 1; i <= offset + 7; i++) {
        const bits = pk[i]!.toString(2).padStart(8, '0');
        const lead = bits.indexOf('1');
        if (lead === -1) zeros += 8;
        else {
          zeros += lead;
          break;
        }
      }
      expected[pk[offset]!] = Math.max(expected[pk[offset]!]!, zeros + 1);
    }
    expect(body.hll).toBe(bytesToHex(expected));
  });
});

describe('HyperLogLog', () => {
  it('derives the offset from the first tag value: ids as is, addresses by pubkey, others hashed', () => {
    const id = 'a'.repeat(32) + '3' + 'b'.repeat(31);
    expect(hllOffset({ tags: new Map([['e', [id]]]) })).toBe(3 + 8);
    const pk = 'c'.repeat(32) + 'f' + 'c'.repeat(31);
    expect(hllOffset({ tags: new Map([['a', [`30023:${pk}:essay`]]]) })).toBe(15 + 8);
    const hashed = bytesToHex(sha256(new TextEncoder().encode('bitcoin')));
    expect(hllOffset({ tags: new Map([['t', ['bitcoin']]]) })).toBe(parseInt(hashed[32]!, 16) + 8);
    expect(hllOffset({ kinds: [1] })).toBeUndefined();
  });

  it('estimates distinct counts within the error HLL promises, and merges by register max', () => {
    const a = new Hll(10);
    const b = new Hll(10);
    const union = new Hll(10);
    for (let i = 0; i < 3000; i++) {
      const pk = new Author().pubkey;
      (i % 2 ? a : b).add(pk);
      union.add(pk);
    }
    // 256 registers: standard error about 6.5%; allow three of them.
    expect(Math.abs(union.estimate() - 3000) / 3000).toBeLessThan(0.2);
    const merged = a.registers.map((v, i) => Math.max(v, b.registers[i]!));
    expect(Buffer.from(merged).toString('hex')).toBe(union.hex());
  });

  it('reads the same registers from the hex of a pubkey inside a record as from the pubkey itself', () => {
    // random keys, and keys whose bytes after the offset are zero (the leading-zero count spans bytes)
    const keys = [...Array.from({ length: 200 }, () => new Author().pubkey), '00'.repeat(32), `${'ab'.repeat(11)}${'00'.repeat(5)}${'0f'.repeat(16)}`, 'f'.repeat(64)];
    for (const offset of [8, 11, 23]) {
      const fromString = new Hll(offset);
      const fromRecord = new Hll(offset);
      for (const pk of keys) {
        fromString.add(pk);
        const json = Buffer.from(`{"id":"${'0'.repeat(64)}","pubkey":"${pk}"}`, 'latin1');
        fromRecord.addHexAt(json, json.indexOf(pk));
      }
      expect(fromRecord.hex()).toBe(fromString.hex());
    }
  });
});
