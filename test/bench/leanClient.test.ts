import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { clientFrame, FrameReader, LeanClient, openLeanClients } from './leanClient.ts';
import { closeAll, measureFanout, openClients, subscribeAll } from './loadgen.ts';
import { startMiniRelay } from './util/miniRelay.ts';
import { benchKey, loadSigner, signToJson } from './util/sign.ts';

/** The lean fan-out subscriber: frame parsing over any split of the stream, and real relays. */

/** An unmasked server frame. */
function serverFrame(op: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0, len]) : len < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = (fin ? 0x80 : 0) | op;
  if (len >= 65_536) {
    head[1] = 127;
    head.writeUInt32BE(0, 2);
    head.writeUInt32BE(len, 6);
  } else if (len >= 126) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  }
  return Buffer.concat([head, payload]);
}

describe('lean client frames', () => {
  const texts = ['["EOSE","x"]', 'a'.repeat(126), 'é'.repeat(40_000), 'b'.repeat(70_000), ''];
  const stream = Buffer.concat([
    ...texts.map((t) => serverFrame(1, Buffer.from(t))),
    // A fragmented message with a ping between its fragments.
    serverFrame(1, Buffer.from('["frag'), false),
    serverFrame(9, Buffer.from('hi')),
    serverFrame(0, Buffer.from('mented"]')),
  ]);

  for (const size of [1, 3, 7, 1000, stream.length]) {
    it(`splits a stream read ${size} bytes at a time into whole messages`, () => {
      const messages: [string, number][] = [];
      const controls: [number, string][] = [];
      const reader = new FrameReader(
        (p, at) => messages.push([p.toString(), at]),
        (op, p) => controls.push([op, p.toString()]),
        (reason) => { throw new Error(reason); },
      );
      const chunk = Buffer.alloc(size);
      let reads = 0;
      for (let pos = 0; pos < stream.length; pos += size, reads++) {
        // One reused read buffer, as the client's is.
        const n = stream.copy(chunk, 0, pos, pos + size);
        reader.push(chunk.subarray(0, n), reads);
      }
      expect(messages.map((m) => m[0])).toEqual([...texts, '["fragmented"]']);
      expect(controls).toEqual([[9, 'hi']]);
      // A message is stamped with the read that completed it.
      expect(messages.at(-1)![1]).toBe(reads - 1);
    });
  }

  it('masks what it sends, at every length encoding', () => {
    for (const len of [0, 125, 126, 65_535, 70_000]) {
      const payload = Buffer.alloc(len, 'x');
      const f = clientFrame(1, payload);
      expect(f[0]).toBe(0x81);
      expect(f[1]! & 0x80).toBe(0x80);
      const short = f[1]! & 0x7f;
      const head = short === 127 ? 10 : short === 126 ? 4 : 2;
      const size = short === 127 ? f.readUInt32BE(6) : short === 126 ? f.readUInt16BE(2) : short;
      expect(size).toBe(len);
      const mask = f.subarray(head, head + 4);
      const body = Buffer.from(f.subarray(head + 4).map((b, i) => b ^ mask[i & 3]!));
      expect(body.equals(payload)).toBe(true);
    }
  });
});

describe('lean client on real relays', () => {
  let mini: Awaited<ReturnType<typeof startMiniRelay>>;
  let hamlet: TestRelay;
  beforeAll(async () => {
    mini = await startMiniRelay();
    hamlet = await startTestRelay({}, { policies: async () => acceptAll });
  });
  afterAll(async () => {
    await mini.close();
    await hamlet.destroy();
  });

  for (const target of ['mini relay (ws)', 'Hamlet (uWS)']) {
    it(`subscribes and receives every copy of every event: ${target}`, async () => {
      const url = target.startsWith('mini') ? mini.url : hamlet.url;
      const signer = loadSigner();
      const key = benchKey(`lean-${target}`, 0);
      const t = Math.floor(Date.now() / 1000);
      const events = Array.from({ length: 5 }, (_, i) => signToJson(signer, key, { kind: 1, created_at: t, tags: [], content: `lean ${i}` }));
      const subscribers = await openLeanClients(url, 4);
      const [publisher] = await openClients(url, 1);
      const decoys = await subscribeAll(subscribers, 1, { authors: [benchKey(`lean-${target}`, 1).pubkey] });
      const subs = await subscribeAll(subscribers, 3, { authors: [key.pubkey], since: t - 5 }, 10_000, 'f');
      expect(decoys.eose + subs.eose).toBe(16);
      const f = await measureFanout(publisher!, subscribers, events, 12, { perEventTimeoutMs: 2_000, timeLimitMs: 10_000 });
      expect(f).toMatchObject({ delivered: 60, expected: 60 });
      expect(f.latencyMs).toHaveLength(60);
      closeAll([...subscribers, publisher!]);
      await until(() => subscribers.every((s) => s.closed));
    });
  }

  it('refuses a handshake the server does not accept', async () => {
    await expect(LeanClient.open(`http://127.0.0.1:${hamlet.port}/nope`)).rejects.toThrow(/handshake refused/);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}
