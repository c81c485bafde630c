import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Author, RawClient } from '../helpers/client.ts';
import { killChildren, startChild, writeConfig, type ChildRelay } from './support/child.ts';
import { HostileGenerator } from './support/hostile.ts';
import { rssOf, sendHostile } from './support/hostileRun.ts';
import { seededRandom } from '../../models/train/dataset.ts';

/** Malformed frames of every sort: each answered with a standard prefix, nobody else disturbed. */

const MAX_MESSAGE = 16_384;
let dir: string;
let relay: ChildRelay;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hamlet-hostile-'));
  relay = await startChild(join(dir, 'data'), writeConfig(dir, `[limits]\nmaxMessageBytes = ${MAX_MESSAGE}\n`));
});
afterAll(async () => {
  await killChildren();
  rmSync(dir, { recursive: true, force: true });
});

/** A well-behaved client publishes a note and reads it back. */
async function stillServed(author: Author, n: number): Promise<void> {
  const c = await RawClient.open(relay.url);
  try {
    const e = author.sign({ content: `still here ${n} ${Math.random()}` });
    expect(await c.publish(e)).toEqual([true, '']);
    expect((await c.req('check', { ids: [e.id] })).events.map((x) => x.id)).toEqual([e.id]);
  } finally {
    c.close();
  }
}

/** Log lines at error level or worse: a handler that threw, a crash in the making. */
const errorLines = () => relay.output().split('\n').filter((l) => /"level":(50|60)/.test(l));

describe('hostile input', () => {
  it('answers every malformed frame with NOTICE, OK false or CLOSED and a standard prefix, and keeps serving others', async () => {
    const seed = Number(process.env.HAMLET_HOSTILE_SEED ?? Date.now() % 1_000_000);
    const gen = new HostileGenerator(seededRandom(seed), MAX_MESSAGE);
    const author = new Author();
    // Warm up before the baseline: the first frames load code paths and the verifier.
    await sendHostile(relay.url, gen, 300);
    const before = rssOf(relay.proc.pid!);
    const stats = await sendHostile(relay.url, gen, 3_000, { every: 500, between: (n) => stillServed(author, n) });
    const after = rssOf(relay.proc.pid!);
    expect(stats.violations.slice(0, 10), `seed ${seed}`).toEqual([]);
    expect(stats.reconnects).toBe(0);
    expect(errorLines()).toEqual([]);
    expect(relay.proc.exitCode).toBeNull();
    // Bounded: a few thousand frames must not grow the relay by more than a small constant.
    expect(after - before, `RSS ${before} → ${after}`).toBeLessThan(150 * 2 ** 20);
    await stillServed(author, -1);
  }, 60_000);

  it('closes a connection that sends invalid UTF-8 as text or a frame past the transport limit; others go on', async () => {
    const author = new Author();
    const cases: Buffer[] = [Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]), Buffer.alloc(2 * 1024 * 1024, 0x20)];
    for (const data of cases) {
      const ws = new WebSocket(relay.url);
      await new Promise((r) => ws.once('open', r));
      const code = await new Promise<number>((resolve) => {
        ws.once('close', (c) => resolve(c));
        ws.on('error', () => undefined);
        // ws validates nothing it sends: the relay's transport sees the raw bytes as a text frame.
        ws.send(data, { binary: false });
      });
      expect([1006, 1007, 1009]).toContain(code);
      await stillServed(author, code);
    }
    expect(errorLines()).toEqual([]);
  });
});
