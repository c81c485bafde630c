import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { open } from 'lmdb';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/**
 * Writes a data directory the way Hamlet's storage format 1 did, with raw lmdb calls (no store
 * code), so the migration is tested against the old layout itself:
 *   events: uint32 serial → id(32) ‖ pubkey(32) ‖ created_at f64 LE ‖ expiration f64 LE ‖ kind u16 LE ‖ flags ‖ JSON
 *   ids: id(32) → serial u32 BE
 *   idx-*: key-only, prefix ‖ created_at (8 bytes BE) ‖ serial u32 BE
 *   addresses (unchanged in format 2): pubkey ‖ kind ‖ d → serial
 */
export async function writeFormatV1(dataDir: string, events: { e: NostrEvent; json?: string; expiration?: number; held?: boolean }[]): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const env = open({ path: `${dataDir}/events.lmdb`, maxDbs: 64, compression: false });
  const bin = (name: string) => env.openDB<Buffer, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary' });
  const records = env.openDB<Buffer, number>({ name: 'events', keyEncoding: 'uint32', encoding: 'binary' });
  const ids = bin('ids');
  const addresses = bin('addresses');
  const tables = Object.fromEntries(['idx-created', 'idx-kind', 'idx-pubkey', 'idx-pubkey-kind', 'idx-tag', 'idx-word', 'idx-expiry'].map((n) => [n, bin(n)]));
  const ts8 = (ts: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(Math.floor(ts / 2 ** 32), 0);
    b.writeUInt32BE(ts >>> 0, 4);
    return b;
  };
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return b;
  };
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const key = (prefix: Buffer, ts: number, serial: number) => Buffer.concat([prefix, ts8(ts), u32(serial)]);
  const tagValue = (v: string) =>
    /^[0-9a-f]{64}$/.test(v) ? Buffer.concat([Buffer.from([1]), Buffer.from(v, 'hex')]) : Buffer.concat([Buffer.from([0, Buffer.byteLength(v)]), Buffer.from(v)]);
  await env.transaction(() => {
    events.forEach(({ e, json, expiration = 0, held = false }, i) => {
      const serial = i + 1;
      const body = Buffer.from(json ?? JSON.stringify(e));
      const head = Buffer.alloc(83);
      head.write(e.id, 0, 32, 'hex');
      head.write(e.pubkey, 32, 32, 'hex');
      head.writeDoubleLE(e.created_at, 64);
      head.writeDoubleLE(expiration, 72);
      head.writeUInt16LE(e.kind, 80);
      head[82] = held ? 1 : 0;
      void records.put(serial, Buffer.concat([head, body]));
      void ids.put(Buffer.from(e.id, 'hex'), u32(serial));
      const empty = Buffer.alloc(0);
      const ca = e.created_at;
      void tables['idx-created']!.put(key(empty, ca, serial), empty);
      void tables['idx-kind']!.put(key(u16(e.kind), ca, serial), empty);
      void tables['idx-pubkey']!.put(key(Buffer.from(e.pubkey, 'hex'), ca, serial), empty);
      void tables['idx-pubkey-kind']!.put(key(Buffer.concat([Buffer.from(e.pubkey, 'hex'), u16(e.kind)]), ca, serial), empty);
      for (const [name, value] of e.tags) {
        if (value !== undefined && /^[a-zA-Z]$/.test(name!)) void tables['idx-tag']!.put(key(Buffer.concat([Buffer.from(name!), tagValue(value)]), ca, serial), empty);
      }
      for (const word of new Set(e.content.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])) {
        if (word.length >= 2) void tables['idx-word']!.put(key(Buffer.concat([Buffer.from([Buffer.byteLength(word)]), Buffer.from(word)]), ca, serial), empty);
      }
      // Replaceable slot (kind 0 in these fixtures): pubkey ‖ kind ‖ d '' → serial; this table keeps its layout.
      if (e.kind === 0) void addresses.put(Buffer.concat([Buffer.from(e.pubkey, 'hex'), u16(0), Buffer.from([0, 0])]), u32(serial));
      if (expiration) void tables['idx-expiry']!.put(key(empty, expiration, serial), empty);
    });
  });
  await env.close();
}

/** A stand-in for a real event when signatures do not matter (the store does not verify). */
export function fakeEvent(pubkey: string, t: Pick<NostrEvent, 'kind' | 'created_at' | 'tags' | 'content'>, n: number): NostrEvent {
  const id = createHash('sha256').update(`${pubkey}:${n}:${t.created_at}`).digest('hex');
  return { id, pubkey, sig: 'ab'.repeat(64), ...t };
}
