import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicyEngine } from '../../policies/index.ts';
import { acceptAll } from '../../relay/policy.ts';
import { InferencePool } from '../../models/pool/pool.ts';
import { PooledClassifier } from '../../models/provider.ts';
import { BUILTIN_TOXICITY_LABELS, builtinToxicityInfo } from '../../models/builtin/toxicity.ts';
import { Author, RawClient } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { killChildren, startChild, writeConfig } from './support/child.ts';

/** Parts that fail: policies, a strfry plugin, a model worker, the disk. The relay answers and goes on. */

const relays: TestRelay[] = [];
const clients: RawClient[] = [];
const dirs: string[] = [];
const pools: InferencePool[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of relays.splice(0)) await r.destroy();
  for (const p of pools.splice(0)) await p.close();
  await killChildren();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hamlet-faulty-'));
  dirs.push(d);
  return d;
}

async function start(policies: Record<string, unknown>, classifier?: PooledClassifier): Promise<{ relay: TestRelay; client(): Promise<RawClient> }> {
  const relay = await startTestRelay(
    { policies: { connection: [], write: [], read: [], ...policies } },
    { policies: (s) => createPolicyEngine(s, { classifier }) },
  );
  relays.push(relay);
  return {
    relay,
    async client() {
      const c = await RawClient.open(relay.url);
      clients.push(c);
      return c;
    },
  };
}

/** Publishes fresh notes until one is accepted (a restarted part takes a moment); bounded. */
async function acceptedWithin(c: RawClient, author: Author, content: string, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end; i++) {
    if ((await c.publish(author.sign({ content: `${content} ${i}` })))[0]) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('faulty policies', () => {
  it('a policy that throws, one that hangs and one that spins (isolated in a worker) cost only their own events', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'throws.mjs'), `export const write = ({ event }) => { if (event.content === 'throw') throw new Error('boom'); return { action: 'accept' }; };`);
    writeFileSync(join(dir, 'hangs.mjs'), `export const write = ({ event }) => event.content === 'hang' ? new Promise(() => {}) : { action: 'accept' };`);
    writeFileSync(join(dir, 'spins.mjs'), `export const write = ({ event }) => { if (event.content === 'spin') for (;;) {} return { action: 'accept' }; };`);
    const { client } = await start({
      dir,
      write: [
        { use: 'throws', onError: 'reject' },
        { use: 'hangs', onError: 'reject', timeoutMs: 300 },
        // Busy past max(1 s, 4 × timeoutMs): the worker is terminated and started again.
        { use: 'spins', onError: 'reject', timeoutMs: 100, isolate: 'worker' },
      ],
    });
    const [a, b] = [await client(), await client()];
    const author = new Author();
    expect(await a.publish(author.sign({ content: 'throw' }))).toEqual([false, 'error: policy throws is failing']);
    const stored = author.sign({ content: 'stored before' });
    expect(await b.publish(stored)).toEqual([true, '']);
    const hanging = a.publish(author.sign({ content: 'hang' }));
    const spinning = a.publish(author.sign({ content: 'spin' }));
    // While one policy waits forever and another spins in its worker, the main thread serves b
    // (its EVENTs queue behind the spinning worker and fail with it: that policy is failing).
    expect((await b.req('read', { ids: [stored.id] })).events).toHaveLength(1);
    expect(await hanging).toEqual([false, 'error: policy hangs is failing']);
    expect(await spinning).toEqual([false, 'error: policy spins is failing']);
    // The restarted worker answers again.
    expect(await acceptedWithin(b, author, 'after the spin')).toBe(true);
  }, 20_000);

  it('a strfry plugin that dies fails its pending event and is restarted', async () => {
    const plugin = fileURLToPath(new URL('./fixtures/mortal.cjs', import.meta.url));
    const { client } = await start({ write: [{ use: 'strfry', onError: 'reject', options: { command: plugin } }] });
    const c = await client();
    const author = new Author();
    expect(await c.publish(author.sign({ content: 'before' }))).toEqual([true, '']);
    for (let round = 0; round < 3; round++) {
      const [ok, message] = await c.publish(author.sign({ content: 'die' }));
      expect(ok).toBe(false);
      expect(message).toMatch(/^error: /);
      // Restarted with backoff: within a few seconds an ordinary event is accepted again.
      expect(await acceptedWithin(c, author, `after death ${round}`)).toBe(true);
    }
  }, 30_000);

  it('a model worker that crashes mid-inference fails that event; the pool starts a new worker and classifies again', async () => {
    const pool = new InferencePool(1);
    pools.push(pool);
    const classifier = new PooledClassifier(builtinToxicityInfo(), BUILTIN_TOXICITY_LABELS, { kind: 'builtin-toxicity' }, pool, { batchSize: 32, maxWaitMs: 0 });
    // The worker loads first: a cold start on a busy machine can outlast the policy's 500 ms budget.
    await classifier.classify(['warm-up']);
    let entered: (() => void) | undefined;
    const watched = Object.assign(Object.create(classifier) as PooledClassifier, {
      classify: (texts: readonly string[]) => {
        entered?.();
        return classifier.classify(texts);
      },
    });
    const { client } = await start({ write: [{ use: 'toxicity', onError: 'reject', options: { action: 'reject', threshold: 0.8 } }] }, watched);
    const c = await client();
    const author = new Author();
    expect(await c.publish(author.sign({ content: 'a fine day for the garden' }))).toEqual([true, '']);
    // Tens of milliseconds of inference for the built-in model: the worker is killed in the middle of it.
    const long = author.sign({ content: 'the garden is fine today '.repeat(4000) });
    const inFlight = new Promise<void>((r) => (entered = r));
    const answer = c.publish(long);
    await inFlight;
    // Two turns: the batcher has posted the task to the worker, which is now busy with it.
    for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
    const threads = (pool as unknown as { pool: { threads: Worker[] } }).pool.threads;
    await Promise.all(threads.map((t) => t.terminate()));
    expect(await answer).toEqual([false, 'error: policy toxicity is failing']);
    // A new worker (it takes a moment to load) classifies: benign text passes, toxic text is
    // refused by the model, not by the fail mode.
    expect(await acceptedWithin(c, author, 'a fine evening too')).toBe(true);
    const [ok, message] = await c.publish(author.sign({ content: 'you stupid idiot, I will kill you' }));
    expect(ok).toBe(false);
    expect(message).toMatch(/^blocked: /);
  }, 20_000);
});

describe('a full disk', () => {
  it('an LMDB map at its minimum (16 MiB) is never full: lmdb-js grows it, so only the disk limits writes', async () => {
    const relay = await startTestRelay({ storage: { mapSizeMb: 16 } }, { policies: async () => acceptAll });
    relays.push(relay);
    const c = await RawClient.open(relay.url);
    clients.push(c);
    const author = new Author();
    const big = 'm'.repeat(90_000);
    // 20 MB of notes into a 16 MiB map, pipelined: every one acknowledged.
    const notes = Array.from({ length: 220 }, (_, i) => author.sign({ content: `${big} ${i}` }));
    for (const e of notes) c.send(['EVENT', e]);
    for (const e of notes) expect(await c.next((f) => f[0] === 'OK' && f[1] === e.id, 20_000)).toEqual(['OK', e.id, true, '']);
    expect((relay.services.env.getStats() as { mapSize: number }).mapSize).toBeGreaterThan(16 * 2 ** 20);
  }, 30_000);

  it('answers writes with error:, keeps serving reads, loses nothing acknowledged, and recovers when space returns', async () => {
    const dir = tempDir();
    // The smallest map: lmdb-js grows it on demand (it never reports MDB_MAP_FULL), so the limit that
    // bites is the disk. RLIMIT_FSIZE stands in for a full disk: writes past it fail (EFBIG, like ENOSPC).
    const config = writeConfig(dir, '[storage]\nmapSizeMb = 16\n');
    const relay = await startChild(join(dir, 'data'), config, { fileSizeLimitKb: 12_288 });
    const c = await RawClient.open(relay.url);
    clients.push(c);
    const author = new Author();
    const big = 'x'.repeat(90_000);
    const acked: string[] = [];
    let refusal = '';
    for (let i = 0; i < 1000 && !refusal; i++) {
      const e = author.sign({ content: `${big} ${i}` });
      const [ok, message] = await c.publish(e);
      if (ok) acked.push(e.id);
      else refusal = message;
    }
    expect(refusal).toMatch(/^error: /);
    expect(acked.length).toBeGreaterThan(20);
    // Reads go on, on this connection and a new one.
    expect((await c.req('some', { authors: [author.pubkey], limit: 5 })).events).toHaveLength(5);
    const other = await RawClient.open(relay.url);
    clients.push(other);
    expect((await other.req('ids', { ids: acked.slice(0, 100) })).events).toHaveLength(Math.min(100, acked.length));
    expect(relay.proc.exitCode).toBeNull();

    if (existsSync('/usr/bin/prlimit')) {
      // Space returns while it runs: the same process writes again.
      execFileSync('/usr/bin/prlimit', ['--pid', String(relay.proc.pid), '--fsize=unlimited:']);
      const e = author.sign({ content: `${big} with space again` });
      expect(await c.publish(e)).toEqual([true, '']);
      acked.push(e.id);
    }
    c.close();
    other.close();
    relay.proc.kill('SIGTERM');
    expect(await relay.exited).toBe(0);

    // Restarted with room: opens cleanly, everything acknowledged is there, writes succeed.
    const again = await startChild(join(dir, 'data'), config);
    const d = await RawClient.open(again.url);
    clients.push(d);
    const stored = await d.req('all', { authors: [author.pubkey], limit: 5000 });
    expect(new Set(stored.events.map((e) => e.id))).toEqual(new Set(acked));
    expect(await d.publish(author.sign({ content: `${big} after restart` }))).toEqual([true, '']);
  }, 60_000);
});
