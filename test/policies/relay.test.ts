import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fetchEvents as req, publish, Relay, until } from '../helpers/client.ts';
import { finalizeEvent, generateSecretKey, getPublicKey, nip13 } from 'nostr-tools';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { createPolicyEngine, type HamletPolicyEngine } from '../../policies/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

const note = (sk: Uint8Array, content = 'hello village', extra: Partial<{ kind: number; tags: string[][]; created_at: number }> = {}): NostrEvent =>
  JSON.parse(JSON.stringify(finalizeEvent({ kind: extra.kind ?? 1, content, tags: extra.tags ?? [], created_at: extra.created_at ?? Math.floor(Date.now() / 1000) }, sk)));

interface Started {
  relay: TestRelay;
  engine: HamletPolicyEngine;
  connect(): Promise<Relay>;
}

const running: TestRelay[] = [];
const clients: Relay[] = [];
const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'hamlet-opdir-'));
  temps.push(d);
  return d;
};
async function start(policies: Record<string, unknown>, more: Record<string, Record<string, unknown>> = {}): Promise<Started> {
  let engine!: HamletPolicyEngine;
  const relay = await startTestRelay({ ...more, policies }, { policies: async (s) => (engine = await createPolicyEngine(s)) });
  running.push(relay);
  return {
    relay,
    engine,
    async connect() {
      const c = await Relay.connect(relay.url);
      clients.push(c);
      return c;
    },
  };
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) await r.destroy();
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const none = { connection: [], write: [], read: [], broadcast: [], auth: [] };

describe('write built-ins as a client sees them', () => {
  it('refuses with the prefix of each built-in, stores what passes, and records why', async () => {
    const banned = generateSecretKey();
    const { engine, connect } = await start({
      ...none,
      write: [
        { use: 'sizeLimits', options: { maxContentLength: 200 } },
        { use: 'kinds', options: { deny: [30023] } },
        { use: 'createdAt', options: { maxFutureSeconds: 60 } },
        { use: 'pubkeys', options: { deny: [getPublicKey(banned)] } },
        { use: 'keywords', options: { keywords: ['casino'] } },
        { use: 'hellthread', options: { maxPTags: 3 } },
        { use: 'duplicates', options: { maxCopies: 1, minLength: 10, exemptIps: [] } },
        { use: 'pow', options: { kinds: { '7': 8 } } },
      ],
    });
    const c = await connect();
    const sk = generateSecretKey();
    const good = note(sk, 'a fine note about tomatoes');
    expect(await publish(c, good)).toEqual({ ok: true, message: '' });
    const cases: Array<[NostrEvent, string]> = [
      [note(sk, 'x'.repeat(201)), 'invalid: content longer than 200 characters'],
      [note(sk, 'long read', { kind: 30023, tags: [['d', 'x']] }), 'blocked: kind 30023 is not accepted here'],
      // (The relay itself refuses more than limits.createdAtUpperLimit = 900 s ahead.)
      [note(sk, 'from the future', { created_at: Math.floor(Date.now() / 1000) + 600 }), 'invalid: created_at is more than 60 seconds in the future'],
      [note(banned, 'let me in'), 'blocked: this author is not welcome here'],
      [note(sk, 'casino tonight!'), 'blocked: contains "casino"'],
      [note(sk, 'hey all', { tags: Array.from({ length: 4 }, () => ['p', getPublicKey(generateSecretKey())]) }), 'blocked: mentions more than 3 people'],
      [note(generateSecretKey(), 'a fine note about tomatoes'), 'blocked: duplicate content'],
    ];
    for (const [event, message] of cases) expect(await publish(c, event), message).toEqual({ ok: false, message });
    let weak: NostrEvent;
    do weak = note(sk, '+', { kind: 7, tags: [['e', good.id]] });
    while (nip13.getPow(weak.id) >= 8);
    expect((await publish(c, weak)).message).toMatch(/^pow: difficulty \d+ is less than 8$/);

    expect((await req(c, [{ authors: [getPublicKey(sk)] }])).events.map((e) => e.id)).toEqual([good.id]);
    await until(() => engine.listDecisions({ stage: 'write' }).length === cases.length + 1);
    expect(engine.listDecisions({ policy: 'hellthread' })).toMatchObject([{ action: 'reject', rule: 'hellthread', pubkey: getPublicKey(sk), ip: '127.0.0.1' }]);
  });

  it('rate-limits EVENT per pubkey and REQ per IP', async () => {
    const { connect } = await start({
      ...none,
      write: [{ use: 'rateLimit', options: { perPubkey: { perMinute: 1, burst: 2 }, exemptIps: [] } }],
      read: [{ use: 'rateLimit', options: { perIp: { perMinute: 1, burst: 2 }, exemptIps: [] } }],
    });
    const c = await connect();
    const sk = generateSecretKey();
    expect((await publish(c, note(sk, 'one'))).ok).toBe(true);
    expect((await publish(c, note(sk, 'two'))).ok).toBe(true);
    expect(await publish(c, note(sk, 'three'))).toEqual({ ok: false, message: 'rate-limited: slow down, too many events from this author' });
    expect((await publish(c, note(generateSecretKey(), 'someone else'))).ok).toBe(true);
    expect((await req(c, [{ kinds: [1] }])).closed).toBeUndefined();
    expect((await req(c, [{ kinds: [1] }])).closed).toBeUndefined();
    expect((await req(c, [{ kinds: [1] }])).closed).toBe('rate-limited: slow down, too many requests from your address');
  });

  it('refuses connections past the per-IP connection rate', async () => {
    const { connect } = await start({ ...none, connection: [{ use: 'rateLimit', options: { perIp: { perMinute: 1, burst: 2 }, exemptIps: [] } }] });
    await connect();
    await connect();
    await expect(connect()).rejects.toThrow();
  });

  it('refuses NIP-42 AUTH for denied and banned pubkeys', async () => {
    const denied = generateSecretKey();
    const banned = generateSecretKey();
    const { engine, connect } = await start({ ...none, auth: [{ use: 'pubkeys', options: { deny: [getPublicKey(denied)] } }] });
    await engine.moderation.banPubkey(getPublicKey(banned), { moderator: 'test' });
    const auth = async (sk: Uint8Array) => {
      const c = await connect();
      // The relay sends its challenge on connect; nostr-tools keeps it privately.
      await until(() => Boolean((c as unknown as { challenge?: string }).challenge));
      return c.auth(async (t) => finalizeEvent(t, sk)).then(
        () => 'ok',
        (err: Error) => err.message,
      );
    };
    expect(await auth(generateSecretKey())).toBe('ok');
    expect(await auth(denied)).toBe('blocked: this author is not welcome here');
    expect(await auth(banned)).toBe('blocked: this author is banned from the village');
  });

  it('combinators: members may post links, others may not', async () => {
    const member = generateSecretKey();
    const { connect } = await start({
      ...none,
      write: [{ use: 'any', options: { policies: [{ use: 'pubkeys', options: { allow: [getPublicKey(member)] } }, { use: 'keywords', options: { patterns: ['https?://'] } }] } }],
    });
    const c = await connect();
    expect((await publish(c, note(member, 'see https://garden.test'))).ok).toBe(true);
    expect((await publish(c, note(generateSecretKey(), 'no links here'))).ok).toBe(true);
    expect((await publish(c, note(generateSecretKey(), 'see https://spam.test'))).message).toBe("restricted: only the village's listed authors may publish here");
  });

  it('shadow-rejects: OK true, but nothing is stored', async () => {
    const { connect } = await start({ ...none, write: [{ use: 'keywords', options: { keywords: ['psst'], action: 'shadowReject' } }] });
    const c = await connect();
    const sk = generateSecretKey();
    expect((await publish(c, note(sk, 'psst, secret'))).ok).toBe(true);
    expect((await req(c, [{ authors: [getPublicKey(sk)] }])).events).toEqual([]);
  });
});

describe('read and broadcast policies', () => {
  it('rejects unbounded filters with CLOSED and caps limit by rewriting', async () => {
    const { connect } = await start({ ...none, read: [{ use: 'filterLimits', options: { maxLimit: 2, rejectEmpty: true } }] });
    const c = await connect();
    const sk = generateSecretKey();
    for (let i = 0; i < 4; i++) expect((await publish(c, note(sk, `note ${i}`, { created_at: 1_700_000_000 + i }))).ok).toBe(true);
    expect(await req(c, [{ limit: 10 }])).toEqual({ events: [], closed: 'restricted: filter too broad; narrow it by author, kind, tag or time' });
    expect((await req(c, [{ kinds: [1], limit: 100 }])).events.map((e) => e.content)).toEqual(['note 3', 'note 2']);
  });

  it('vetoes live delivery to a recipient while storing the event', async () => {
    const muted = generateSecretKey();
    const { connect } = await start({ ...none, broadcast: [{ use: 'pubkeys', options: { deny: [getPublicKey(muted)] } }] });
    const listener = await connect();
    const got: string[] = [];
    await new Promise<void>((resolve) => listener.subscribe([{ kinds: [1] }], { onevent: (e) => void got.push(e.content), oneose: resolve }));
    const c = await connect();
    expect((await publish(c, note(muted, 'from the muted one'))).ok).toBe(true);
    expect((await publish(c, note(generateSecretKey(), 'from a neighbour'))).ok).toBe(true);
    await until(() => got.length > 0);
    expect(got).toEqual(['from a neighbour']);
    expect((await req(c, [{ authors: [getPublicKey(muted)] }])).events).toHaveLength(1);
  });
});

describe('trust, identity and models', () => {
  it('web of trust follows follow lists as they arrive', async () => {
    const member = generateSecretKey();
    const stranger = generateSecretKey();
    const { connect } = await start({ ...none, members: [getPublicKey(member)], trustMaxHops: 1, write: [{ use: 'webOfTrust', options: { exemptKinds: [] } }] });
    const c = await connect();
    expect((await publish(c, note(member, 'hi, I live here'))).ok).toBe(true);
    const refused = await publish(c, note(stranger, 'hello?'));
    expect(refused).toEqual({ ok: false, message: "restricted: only people within a few follow hops of the village's members may post here" });
    expect((await publish(c, note(member, '', { kind: 3, tags: [['p', getPublicKey(stranger)]] }))).ok).toBe(true);
    await until(async () => (await publish(c, note(stranger, `hello again ${Math.random()}`))).ok);
  });

  it('web of trust reads the follow lists already stored when the relay starts', async () => {
    const [member, friend, friendOfFriend, stranger] = [generateSecretKey(), generateSecretKey(), generateSecretKey(), generateSecretKey()];
    const first = await startTestRelay({ policies: none });
    const dataDir = first.dataDir;
    const c1 = await Relay.connect(first.url);
    expect((await publish(c1, note(member, '', { kind: 3, tags: [['p', getPublicKey(friend)]] }))).ok).toBe(true);
    expect((await publish(c1, note(friend, '', { kind: 3, tags: [['p', getPublicKey(friendOfFriend)]] }))).ok).toBe(true);
    c1.close();
    await first.close();
    // Same database, new relay: the graph comes from the stored lists.
    const { connect } = await start({ ...none, members: [getPublicKey(member)], trustMaxHops: 2, write: [{ use: 'webOfTrust' }] }, { storage: { dataDir } });
    const c = await connect();
    expect((await publish(c, note(friendOfFriend, 'two hops away'))).ok).toBe(true);
    expect((await publish(c, note(stranger, 'nobody knows me'))).message).toMatch(/^restricted: /);
  });

  describe('NIP-05 against a resolver on 127.0.0.1', () => {
    let server: Server;
    let base = '';
    const alice = generateSecretKey();
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('accepts authors whose stored profile verifies', async () => {
      server = createServer((rq, rs) => {
        const name = new URL(rq.url!, 'http://x').searchParams.get('name');
        rs.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ names: name === 'alice' ? { alice: getPublicKey(alice) } : {} }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { connect } = await start({ ...none, write: [{ use: 'nip05', options: { domains: ['village.test'], urlTemplate: `${base}/{domain}?name={name}` } }] });
      const c = await connect();
      expect((await publish(c, note(alice, 'no profile yet'))).message).toBe('restricted: a NIP-05 identity on village.test is required to post here');
      expect((await publish(c, note(alice, JSON.stringify({ name: 'Alice', nip05: 'alice@village.test' }), { kind: 0 }))).ok).toBe(true);
      expect((await publish(c, note(alice, 'now I am known'))).ok).toBe(true);
      const bob = generateSecretKey();
      expect((await publish(c, note(bob, JSON.stringify({ nip05: 'alice@village.test' }), { kind: 0 }))).ok).toBe(true);
      expect((await publish(c, note(bob, 'pretending'))).message).toBe('restricted: NIP-05 identity alice@village.test does not verify');
    });
  });

  it('holds toxic notes out of queries until a moderator releases them', async () => {
    const { engine, connect } = await start({ ...none, write: [{ use: 'toxicity', options: { threshold: 0.8, action: 'hold' } }] });
    const c = await connect();
    const sk = generateSecretKey();
    const mean = note(sk, 'you are a stupid idiot');
    const kind = note(sk, 'lovely tomatoes this year');
    expect((await publish(c, mean)).ok).toBe(true);
    expect((await publish(c, kind)).ok).toBe(true);
    expect((await req(c, [{ authors: [getPublicKey(sk)] }])).events.map((e) => e.id)).toEqual([kind.id]);
    await until(() => engine.listHeld().length === 1);
    expect(engine.listHeld()[0]).toMatchObject({ id: mean.id, policy: 'toxicity', rule: 'abuse', event: mean });
    expect(engine.listDecisions({ eventId: mean.id })[0]).toMatchObject({ action: 'hold', model: expect.any(String), modelVersion: expect.any(String), score: expect.any(Number) });
    expect(await engine.allowEvent(mean.id, { moderator: 'test' })).toBe(true);
    expect((await req(c, [{ authors: [getPublicKey(sk)] }])).events.map((e) => e.id).sort()).toEqual([kind.id, mean.id].sort());
    expect(engine.listHeld()).toEqual([]);
  });

  it('bans an event: removed, and refused when sent again', async () => {
    const { engine, connect } = await start(none);
    const c = await connect();
    const ev = note(generateSecretKey(), 'something the village regrets');
    expect((await publish(c, ev)).ok).toBe(true);
    expect(await engine.banEvent(ev.id, { moderator: 'test', reason: 'spam' })).toBe(true);
    expect((await req(c, [{ ids: [ev.id] }])).events).toEqual([]);
    expect(await publish(c, ev)).toEqual({ ok: false, message: 'blocked: this event was removed by the village moderators' });
  });
});

describe('operator files and plugins through the relay', () => {
  const policyFile = (reason: string) => `
export default function (options) {
  return { write: ({ event }) => (event.content.includes(options.word) ? { action: 'reject', reason: '${reason}', rule: 'content' } : { action: 'accept' }) };
}`;

  it('hot-reloads an edited file; a broken edit keeps the last good version', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'words.mjs'), policyFile('blocked: v1'));
    const { engine, connect } = await start({ ...none, dir, write: [{ use: 'words', options: { word: 'durian' } }] });
    const c = await connect();
    const sk = generateSecretKey();
    expect((await publish(c, note(sk, 'durian 1'))).message).toBe('blocked: v1');
    writeFileSync(join(dir, 'words.mjs'), policyFile('blocked: v2'));
    await until(async () => (await publish(c, note(sk, `durian ${Math.random()}`))).message === 'blocked: v2');
    writeFileSync(join(dir, 'words.mjs'), 'export default function ( {');
    await until(() => engine.loadErrors().length === 1);
    expect((await publish(c, note(sk, 'durian again'))).message).toBe('blocked: v2');
  });

  it('a hanging policy does not stop other clients from being served', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'slow.mjs'), `export const write = ({ event }) => event.content === 'hang' ? new Promise(() => {}) : { action: 'accept' };`);
    const { connect } = await start({ ...none, dir, write: [{ use: 'slow', timeoutMs: 1500, onError: 'reject' }] });
    const a = await connect();
    const b = await connect();
    const order: string[] = [];
    const hanging = publish(a, note(generateSecretKey(), 'hang')).then((r) => (order.push('hanging answered'), r));
    const other = await publish(b, note(generateSecretKey(), 'ordinary'));
    order.push('other client served');
    expect(other.ok).toBe(true);
    expect((await req(b, [{ kinds: [1] }])).events.map((e) => e.content)).toEqual(['ordinary']);
    expect(await hanging).toEqual({ ok: false, message: 'error: policy slow is failing' });
    expect(order).toEqual(['other client served', 'hanging answered']);
  });

  it('runs a strfry plugin unchanged (policies.strfryPlugin, or an entry with options)', async () => {
    const allowed = generateSecretKey();
    const plugin = fileURLToPath(new URL('./fixtures/whitelist.cjs', import.meta.url));
    process.env.WHITELISTED = getPublicKey(allowed);
    try {
      const { connect } = await start({ ...none, strfryPlugin: plugin, onError: 'reject' });
      const c = await connect();
      expect(await publish(c, note(allowed, 'on the list'))).toEqual({ ok: true, message: '' });
      expect(await publish(c, note(generateSecretKey(), 'not on it'))).toEqual({ ok: false, message: 'blocked: not on white-list' });
    } finally {
      delete process.env.WHITELISTED;
    }
    const entry = await start({ ...none, write: [{ use: 'strfry', onError: 'reject', options: { command: plugin, env: { WHITELISTED: getPublicKey(allowed) } } }] });
    const c = await entry.connect();
    expect(await publish(c, note(allowed, 'on the list'))).toEqual({ ok: true, message: '' });
    expect(await publish(c, note(generateSecretKey(), 'not on it'))).toEqual({ ok: false, message: 'blocked: not on white-list' });
  });
});
