import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../config/load.ts';
import type { RelayServices } from '../../relay/services.ts';
import { createPolicyEngine, type HamletPolicyEngine } from '../../policies/index.ts';
import { generateSecretKey } from 'nostr-tools';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { conn, signed, silent, tempEnv, writeInput } from './helpers.ts';

/**
 * The engine on a real LMDB but without a relay: nothing is stored, so queries find nothing.
 * Protocol-level behaviour is tested against the real relay in relay.test.ts.
 */
function servicesWithoutRelay(env: RelayServices['env'], policies: Record<string, unknown>, log: Logger = silent): RelayServices {
  return {
    config: buildConfig({ policies }),
    log,
    env,
    query: () => [],
    getById: () => undefined,
    publish: async () => ({ ok: false, message: 'error: no relay' }),
    onCommitted: () => () => undefined,
    releaseHeld: async () => false,
    removeEvent: async () => false,
    modelMayRead: () => true,
    setModelReadRule: () => undefined,
  };
}

/** A real logger whose raw JSON lines the test reads. */
function capturedLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
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

  it('refuses bad options, unknown names, bad members and misplaced steps, naming each key', async () => {
    const refused = (policies: Record<string, unknown>) => createPolicyEngine(servicesWithoutRelay(t.env, { dir, ...policies }));
    await expect(refused({ write: [{ use: 'hellthread', options: { maxPtags: 1 } }] })).rejects.toThrow(/^policies\.write\[0\]\.options: Unrecognized key: "maxPtags" \(hellthread\)$/);
    await expect(refused({ add: { write: [{ use: 'nope' }] } })).rejects.toThrow(/^policies\.add\.write\[0\]\.use: "nope" is neither a built-in \(.*\) nor a policy file in /);
    await expect(refused({ members: ['zz'] })).rejects.toThrow(/^policies\.members\[0\]: not a pubkey/);
    await expect(refused({ write: [{ use: 'all', options: { policies: [{ use: 'kinds', options: { deny: 'x' } }] } }] })).rejects.toThrow(
      /^policies\.write\[0\]\.options\.policies\[0\]\.options\.deny: /,
    );
    await expect(refused({ write: [{ use: 'kinds', isolate: 'worker' }] })).rejects.toThrow(/^policies\.write\[0\]\.isolate: only operator files run isolated/);
    await expect(refused({ add: { write: [{ use: 'keywords', options: { patterns: ['(unclosed'] } }] } })).rejects.toThrow(
      /^policies\.add\.write\[0\]\.options\.patterns\[0\]: not a valid regular expression \(keywords\)$/,
    );
  });

  it('adds, removes and moves steps without replacing the default pipelines', async () => {
    writeFileSync(join(dir, 'noShouting.mjs'), 'export const write = ({ event }) => event.content === event.content.toUpperCase() ? { action: "reject", reason: "blocked: no shouting" } : { action: "accept" };');
    engine = await createPolicyEngine(
      servicesWithoutRelay(t.env, {
        dir,
        remove: ['read.rateLimit', 'duplicates'],
        add: {
          write: [
            { use: 'noShouting', after: 'sizeLimits' },
            { use: 'duplicates', before: 'rateLimit', options: { maxCopies: 1, minLength: 5 } },
          ],
        },
      }),
    );
    expect(engine.describe()).toMatchObject({
      connection: ['moderation', 'rateLimit'],
      write: ['moderation', 'duplicates', 'rateLimit', 'sizeLimits', 'noShouting', 'hellthread'],
      read: [],
    });
    expect(await engine.write(writeInput(signed({ content: 'HELLO VILLAGE' })))).toEqual({ action: 'reject', reason: 'blocked: no shouting' });
    expect((await engine.write(writeInput(signed({ content: 'the same words twice' })))).action).toBe('accept');
    expect(await engine.write(writeInput(signed({ content: 'the same words twice' })))).toMatchObject({ reason: 'blocked: duplicate content' });
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

  it('refuses to build with a file that throws at load, naming the key and the file', async () => {
    writeFileSync(join(dir, 'thrower.mjs'), 'throw new Error("cannot start");');
    await expect(createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'kinds' }, { use: 'thrower' }] }))).rejects.toThrow(
      /^policies\.write\[1\] \(thrower\): .*thrower\.mjs: cannot start$/,
    );
    await expect(createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'thrower', isolate: 'inline' }] }))).rejects.toThrow(/cannot start/);
  });

  it('survives a hanging policy: the call times out and follows onError', async () => {
    writeFileSync(join(dir, 'hang.mjs'), 'export default { write: () => new Promise(() => {}) };');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'hang.mjs', timeoutMs: 50, onError: 'reject' }] }));
    const ev = signed();
    expect(await engine.write(writeInput(ev))).toEqual({ action: 'reject', reason: 'error: policy hang.mjs is failing' });
    await until(() => engine!.listDecisions().length === 1);
    expect(engine.listDecisions()[0]).toMatchObject({ rule: 'policy-error', failed: 'no answer within 50 ms', eventId: ev.id });
  });

  it('records a failing policy whatever its fail mode: an event let through by onError = "accept" is on the record', async () => {
    writeFileSync(join(dir, 'throws.mjs'), 'export const write = () => { throw new Error("boom"); };');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'throws', onError: 'accept' }] }));
    const ev = signed();
    expect(await engine.write(writeInput(ev))).toEqual({ action: 'accept' });
    await until(() => engine!.listDecisions().length === 1);
    expect(engine.listDecisions()[0]).toMatchObject({ action: 'accept', policy: 'throws', rule: 'policy-error', failed: 'threw: boom', eventId: ev.id });
  });

  it('logs a broken edit as one error line (no "reloaded" beside it), and the policy name once per line', async () => {
    const file = join(dir, 'chatty.mjs');
    const version = (n: number) =>
      `export default (o, ctx) => { ctx.log.warn({ version: ${n} }, 'chatty loaded'); return { write: () => ({ action: 'reject', reason: 'blocked: v${n}' }) }; };`;
    // Saved as editors do: written beside the file, then renamed over it (one change, never half a file).
    const save = (text: string) => {
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
    };
    save(version(1));
    const { log, lines } = capturedLog();
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'chatty' }] }, log));
    // The policy's own log line, from its worker, under the step's logger.
    const own = lines.find((l) => l.includes('chatty loaded'));
    expect(own, lines.join('\n')).toBeDefined();
    expect(JSON.parse(own!)).toMatchObject({ level: 40, policy: 'chatty', version: 1 });
    save(version(2));
    await until(async () => ((await engine!.write(writeInput(signed()))) as { reason?: string }).reason === 'blocked: v2', 15_000);
    expect(lines.some((l) => l.includes('policy file reloaded'))).toBe(true);
    // Let any second event of that save run its reload before counting.
    await new Promise((r) => setTimeout(r, 500));
    const before = lines.length;
    save('export default function ( {');
    await until(() => engine!.loadErrors().length === 1, 15_000);
    // Give a stray "reloaded" line the time to show up.
    await new Promise((r) => setTimeout(r, 300));
    const after = lines.slice(before).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(after.filter((l) => l.level >= 50).map((l) => l.msg), lines.slice(before).join('\n')).toEqual([expect.stringMatching(/^policy file failed to load, the running version stays: /)]);
    expect(after.some((l) => l.msg.includes('reloaded'))).toBe(false);
    expect(await engine.write(writeInput(signed()))).toMatchObject({ reason: 'blocked: v2' });
    for (const l of lines) expect(l.match(/"policy":/g)?.length ?? 0, l).toBeLessThanOrEqual(1);
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

  it('watches a policy directory created after start: a reconfigure can then name its files, and edits reload them', async () => {
    const later = join(t.dir, 'later.d');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir: later, write: [] }));
    mkdirSync(later);
    const gate = (state: string) => writeFileSync(join(later, 'gate.mjs'), `export const write = () => ({ action: "reject", reason: "blocked: gate ${state}" });`);
    gate('closed');
    await engine.reconfigure(buildConfig({ policies: { dir: later, write: [{ use: 'gate' }] } }).policies);
    expect(await engine.write(writeInput(signed()))).toMatchObject({ reason: 'blocked: gate closed' });
    gate('shut');
    await until(async () => ((await engine!.write(writeInput(signed()))) as { reason?: string }).reason === 'blocked: gate shut', 15_000);
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

  it('runs operator files in a worker by default: a file stuck in a loop times out, is recorded, and blocks nothing meanwhile', async () => {
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
    // No isolate and no onError: the defaults are a worker and fail closed.
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'spin', timeoutMs: 50, options: { word: 'nope' } }] }));
    expect(await engine.write(writeInput(signed({ content: 'nope' })))).toEqual({ action: 'reject', reason: 'blocked: nope' });
    expect((await engine.write(writeInput(signed({ content: 'fine' })))).action).toBe('accept');
    // The main thread keeps running while the worker spins.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const spin = signed({ content: 'spin' });
    expect(await engine.write(writeInput(spin))).toEqual({ action: 'reject', reason: 'error: policy spin is failing' });
    expect(ticks).toBeGreaterThan(0);
    clearInterval(timer);
    // While the worker is stuck and then restarted, an event it would block is refused, never accepted.
    const answers: string[] = [];
    await until(async () => {
      const d = await engine!.write(writeInput(signed({ content: 'nope' })));
      answers.push((d as { reason?: string }).reason ?? d.action);
      return d.action === 'reject' && d.reason === 'blocked: nope' && answers.includes('error: policy spin is failing');
    }, 15_000);
    expect(new Set(answers)).toEqual(new Set(['error: policy spin is failing', 'blocked: nope']));
    expect((await engine.write(writeInput(signed({ content: 'fine' })))).action).toBe('accept');
    await until(() => engine!.listDecisions({ eventId: spin.id }).length === 1);
    expect(engine.listDecisions({ eventId: spin.id })[0]).toMatchObject({ action: 'reject', policy: 'spin', rule: 'policy-error', failed: 'no answer within 50 ms' });
  });

  it('isolate = "inline" runs the file on the relay thread, with the store (ctx.services) a worker does not have', async () => {
    const dir = join(t.dir, 'policies.d');
    mkdirSync(dir);
    writeFileSync(join(dir, 'where.mjs'), 'export default (o, ctx) => ({ write: () => ({ action: "reject", reason: `blocked: services ${ctx.services ? "yes" : "no"}` }) });');
    engine = await createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'where', name: 'inline', isolate: 'inline' }] }));
    expect(await engine.write(writeInput(signed()))).toMatchObject({ reason: 'blocked: services yes' });
    await engine.reconfigure(buildConfig({ policies: { dir, write: [{ use: 'where', name: 'isolated' }] } }).policies);
    expect(await engine.write(writeInput(signed()))).toMatchObject({ reason: 'blocked: services no' });
  });

  it('leaves nothing running after a failed build, even a sibling that was still loading (the process exits on its own)', async () => {
    const script = fileURLToPath(new URL('./fixtures/failedBuild.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((r) => child.once('close', r));
    clearTimeout(killer);
    expect(out).toMatch(/^refused: policies\.write\[0\]\.options\.policies\[1\] \(broken\): .*broken on purpose/);
    expect(code).toBe(0);
  });

  it('refuses a file whose factory throws in its worker, naming the key', async () => {
    const dir = join(t.dir, 'policies.d');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.mjs'), 'export default () => { throw new Error("no config for me"); };');
    await expect(createPolicyEngine(servicesWithoutRelay(t.env, { dir, write: [{ use: 'broken' }] }))).rejects.toThrow(/^policies\.write\[0\] \(broken\): .*: no config for me$/);
  });
});
