import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../config/load.ts';
import type { RelayServices } from '../../relay/services.ts';
import { createPolicyEngine, type HamletPolicyEngine } from '../../policies/index.ts';
import { generateSecretKey } from 'nostr-tools';
import { conn, signed, silent, tempEnv, writeInput } from './helpers.ts';

/**
 * The engine on a real LMDB but without a relay: nothing is stored, so queries find nothing.
 * Protocol-level behaviour is tested against the real relay in relay.test.ts.
 */
function servicesWithoutRelay(env: RelayServices['env'], policies: Record<string, unknown>): RelayServices {
  return {
    config: buildConfig({ policies }),
    log: silent,
    env,
    query: () => [],
    getById: () => undefined,
    publish: async () => ({ ok: false, message: 'error: no relay' }),
    onCommitted: () => () => undefined,
    releaseHeld: async () => false,
    removeEvent: async () => false,
  };
}

const until = async (check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('policy engine', () => {
  let t: ReturnType<typeof tempEnv>;
  let dir: string;
  let engine: HamletPolicyEngine | undefined;
  beforeEach(() => {
    t = tempEnv();
    dir = join(t.dir, 'policies.d');
    mkdirSync(dir);
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    await t.destroy();
  });

  it('builds the default pipelines from config', async () => {
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, {}));
    expect(engine.describe()).toEqual({
      connection: ['moderation', 'rateLimit'],
      write: ['moderation', 'rateLimit', 'sizeLimits', 'hellthread', 'duplicates'],
      read: ['rateLimit'],
      broadcast: [],
      auth: ['moderation'],
    });
    expect((await engine.write(writeInput(signed()))).action).toBe('accept');
    expect(engine.loadErrors()).toEqual([]);
  });

  it('names the key of bad options', async () => {
    await expect(createPolicyEngine(servicesWithoutRelay(t.env, { write: [{ use: 'hellthread', options: { maxPtags: 1 } }] }))).rejects.toThrow(
      /policies\.write\[0\]\.options \(hellthread\)/,
    );
  });

  it('records every non-accept decision and queues holds', async () => {
    engine = await createPolicyEngine(
      servicesWithoutRelay(t.env, {
        write: [
          { use: 'keywords', name: 'no-spam-words', options: { keywords: ['casino'] } },
          { use: 'keywords', name: 'review', options: { keywords: ['maybe'], action: 'hold' } },
        ],
      }),
    );
    const bad = signed({ content: 'casino night' });
    expect(await engine.write(writeInput(bad))).toEqual({ action: 'reject', reason: 'blocked: contains "casino"', rule: 'content' });
    const held = signed({ content: 'maybe this' });
    expect((await engine.write(writeInput(held))).action).toBe('hold');
    await until(() => engine!.listHeld().length === 1);
    expect(engine.listHeld()[0]).toMatchObject({ id: held.id, pubkey: held.pubkey, policy: 'review', reason: 'blocked: contains "maybe"' });
    await until(() => engine!.listDecisions().length === 2);
    expect(engine.listDecisions({ eventId: bad.id })).toEqual([
      { at: expect.any(Number), stage: 'write', action: 'reject', policy: 'no-spam-words', rule: 'content', reason: 'blocked: contains "casino"', eventId: bad.id, pubkey: bad.pubkey, kind: 1, ip: '203.0.113.7' },
    ]);
    // A moderator bans the held event: it is refused if it comes again.
    expect(await engine.banEvent(held.id, { moderator: 'cli' })).toBe(true);
    expect(await engine.write(writeInput(held))).toMatchObject({ action: 'reject', reason: 'blocked: this event was removed by the village moderators', rule: 'banned' });
    await engine.moderation.banPubkey(bad.pubkey);
    expect((await engine.auth({ pubkey: bad.pubkey, conn: conn() })).action).toBe('reject');
  });

  it('hot-reloads an edited operator file, and keeps the last good version when an edit breaks it', async () => {
    const file = join(dir, 'noShouting.ts');
    const version = (max: number) => `
      import type { WriteInput, Decision } from '${join(process.cwd(), 'relay/policy.ts')}';
      export default function noShouting(options: { minLength?: number }) {
        return {
          write({ event }: WriteInput): Decision {
            const letters = event.content.replace(/[^A-Za-z]/g, '');
            if (letters.length >= (options.minLength ?? ${max}) && letters === letters.toUpperCase()) {
              return { action: 'reject', reason: 'blocked: no shouting (v${max})', rule: 'spam' };
            }
            return { action: 'accept' };
          },
        };
      }`;
    writeFileSync(file, version(5));
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'noShouting' }] }));
    const loud = signed({ content: 'HELLO VILLAGE' });
    expect(await engine.write(writeInput(loud))).toMatchObject({ reason: 'blocked: no shouting (v5)' });

    writeFileSync(file, version(50));
    await until(async () => ((await engine!.write(writeInput(loud))) as { reason?: string }).reason !== 'blocked: no shouting (v5)');
    expect((await engine.write(writeInput(loud))).action).toBe('accept');

    writeFileSync(file, 'export default function ( { syntax error');
    await until(() => engine!.loadErrors().length === 1);
    expect(engine.loadErrors()[0]).toMatchObject({ file });
    // The last good version (v50) keeps running.
    expect((await engine.write(writeInput(loud))).action).toBe('accept');
    expect((await engine.write(writeInput(signed({ content: 'A'.repeat(60) })))) ).toMatchObject({ reason: 'blocked: no shouting (v50)' });

    writeFileSync(file, version(3));
    await until(() => engine!.loadErrors().length === 0);
    expect(await engine.write(writeInput(loud))).toMatchObject({ reason: 'blocked: no shouting (v3)' });
  });

  it('loads a file added after start, and reports a file that throws at load', async () => {
    writeFileSync(join(dir, 'thrower.mjs'), 'throw new Error("cannot start");');
    engine = await createPolicyEngine(
      servicesWithoutRelay(t.env, { dir, write: [{ use: 'later', onError: 'reject' }, { use: 'thrower' }] }),
    );
    const errors = engine.loadErrors().map((e) => e.error);
    expect(errors).toEqual([expect.stringMatching(/no built-in or policy file named "later"/), 'cannot start']);
    // Fail closed while `later` is missing.
    expect(await engine.write(writeInput(signed()))).toMatchObject({ action: 'reject', reason: 'error: policy later is failing' });
    writeFileSync(join(dir, 'later.mjs'), 'export function write() { return { action: "shadowReject", reason: "quietly" }; }');
    await until(async () => (await engine!.write(writeInput(signed()))).action === 'shadowReject');
    expect(engine.loadErrors().map((e) => e.error)).toEqual(['cannot start']);
  });

  it('survives a hanging policy: the call times out and follows onError', async () => {
    writeFileSync(join(dir, 'hang.mjs'), 'export default { write: () => new Promise(() => {}) };');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'hang.mjs', timeoutMs: 50, onError: 'reject' }] }));
    const ev = signed();
    expect(await engine.write(writeInput(ev))).toEqual({ action: 'reject', reason: 'error: policy hang.mjs is failing' });
    await until(() => engine!.listDecisions().length === 1);
    expect(engine.listDecisions()[0]).toMatchObject({ rule: 'policy-error', failed: 'no answer within 50 ms', eventId: ev.id });
  });

  it('records a burst of rate-limited events once, with the count folded in', async () => {
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { write: [{ use: 'rateLimit', options: { perIp: { perMinute: 1, burst: 1 }, exemptIps: [] } }] }));
    const sk = generateSecretKey();
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await engine.write(writeInput(signed({}, sk), '198.51.100.20'))).action);
    expect(results).toEqual(['accept', 'reject', 'reject', 'reject', 'reject']);
    await until(() => engine!.listDecisions().length === 1);
    expect(engine.listDecisions()[0]).toMatchObject({ policy: 'rateLimit', reason: 'rate-limited: slow down, too many events from your address' });
  });

  it('reloads an edited rulebook, and keeps the old one when the edit is broken', async () => {
    const path = join(t.dir, 'rules.toml');
    writeFileSync(path, '[[rule]]\nid = "one"\ntitle = "First"\n');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { rulebook: path, write: [] }));
    expect(engine.rulebook().get('one')?.title).toBe('First');
    writeFileSync(path, '[[rule]]\nid = "one"\ntitle = "Edited"\n');
    await until(() => engine!.rulebook().get('one')?.title === 'Edited');
    writeFileSync(path, '[[rule]\n');
    await until(() => engine!.loadErrors().length === 1);
    expect(engine.rulebook().get('one')?.title).toBe('Edited');
  });

  it('starts watching a policy directory created after start', async () => {
    const later = join(t.dir, 'later.d');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir: later, write: [{ use: 'gate' }] }));
    expect(engine.loadErrors()).toHaveLength(1);
    mkdirSync(later);
    writeFileSync(join(later, 'gate.mjs'), 'export const write = () => ({ action: "reject", reason: "blocked: gate closed" });');
    await until(async () => (await engine!.write(writeInput(signed()))).action === 'reject');
    expect(engine.loadErrors()).toEqual([]);
  });

  it('reconfigures pipelines at run time and keeps the old ones on a bad config', async () => {
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, {}));
    const next = buildConfig({ policies: { write: [{ use: 'kinds', options: { deny: [1] } }] } }).policies;
    await engine.reconfigure(next);
    expect(engine.describe().write).toEqual(['moderation', 'kinds']);
    expect((await engine.write(writeInput(signed()))).action).toBe('reject');
    await expect(engine.reconfigure({ ...next, write: [{ use: 'kinds', options: { deny: 'x' } }] } as never)).rejects.toThrow(/policies\.write\[0\]/);
    expect(engine.describe().write).toEqual(['moderation', 'kinds']);
  });
});

describe('isolated policy files (worker)', () => {
  let t: ReturnType<typeof tempEnv>;
  let engine: HamletPolicyEngine | undefined;
  beforeEach(() => {
    t = tempEnv();
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    await t.destroy();
  });

  it('survives a policy stuck in a synchronous endless loop: times out, restarts the worker, goes on', async () => {
    const dir = join(t.dir, 'policies.d');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'spin.ts'),
      `export default (options: { word: string }) => ({
        write({ event }: { event: { content: string } }) {
          if (event.content === 'spin') for (;;) {}
          return event.content === options.word ? { action: 'reject', reason: 'blocked: ' + options.word } : { action: 'accept' };
        },
      });`,
    );
    engine = await createPolicyEngine(
      servicesWithoutRelay(t.env, { dir, write: [{ use: 'spin', isolate: 'worker', timeoutMs: 50, onError: 'reject', options: { word: 'nope' } }] }),
    );
    expect(await engine.write(writeInput(signed({ content: 'nope' })))).toEqual({ action: 'reject', reason: 'blocked: nope' });
    expect((await engine.write(writeInput(signed({ content: 'fine' })))).action).toBe('accept');
    // The main thread keeps running while the worker spins.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    expect(await engine.write(writeInput(signed({ content: 'spin' })))).toEqual({ action: 'reject', reason: 'error: policy spin is failing' });
    expect(ticks).toBeGreaterThan(0);
    // After the watchdog replaces the stuck worker, calls are answered again.
    await until(async () => (await engine!.write(writeInput(signed({ content: 'fine' })))).action === 'accept', 10_000);
    clearInterval(timer);
    expect(await engine.write(writeInput(signed({ content: 'nope' })))).toEqual({ action: 'reject', reason: 'blocked: nope' });
  });

  it('reports a file that fails to load in its worker', async () => {
    const dir = join(t.dir, 'policies.d');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.mjs'), 'export default () => { throw new Error("no config for me"); };');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'broken', isolate: 'worker' }] }));
    expect(engine.loadErrors().map((e) => e.error)).toEqual([expect.stringMatching(/no config for me/)]);
  });
});
