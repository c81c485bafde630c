import { describe, expect, it } from 'vitest';
import { generateSecretKey, getPublicKey, nip13, nip19, finalizeEvent } from 'nostr-tools';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { TrustGraph } from '../../policies/trust/graph.ts';
import { builtins } from '../../policies/builtin/index.ts';
import { loadRulebook } from '../../policies/rulebook.ts';
import { describeBuiltins } from '../../policies/describe.ts';
import type { Decision } from '../../relay/policy.ts';
import { conn, make, readInput, signed, writeInput } from './helpers.ts';

const write = async (name: string, options: object, event: NostrEvent, ip?: string, extras = {}): Promise<Decision> =>
  (await (await make(name, options, extras)).write!(writeInput(event, ip)));

describe('built-ins', () => {
  it('every built-in names rules that are in the shipped rulebook', async () => {
    const book = loadRulebook();
    let named = 0;
    for (const b of builtins.values()) {
      const rule = (b.options as { shape?: Record<string, { def?: { defaultValue?: unknown } }> }).shape?.rule?.def?.defaultValue;
      if (typeof rule === 'string') {
        named++;
        expect(book.get(rule), `${b.name} → ${rule}`).toBeDefined();
      }
    }
    expect(named).toBeGreaterThanOrEqual(12);
  });

  it('documents every option of every built-in', () => {
    const docs = describeBuiltins();
    expect(docs.map((d) => d.name).sort()).toEqual([...builtins.keys()].sort());
    for (const d of docs) for (const o of d.options) expect(o.description, `${d.name}.${o.key}`).not.toBe('');
    expect(docs.find((d) => d.name === 'hellthread')!.options[0]).toEqual({ key: 'maxPTags', default: 100, description: 'Most p tags (mentions) in one event.' });
  });

  it('refuses unknown options', async () => {
    await expect(make('hellthread', { maxPtags: 3 })).rejects.toThrow();
  });

  it('sizeLimits', async () => {
    const o = { maxContentLength: 10, maxTags: 2, maxTagValueLength: 5, maxEventBytes: 2000 };
    expect(await write('sizeLimits', o, signed({ content: 'short' }))).toEqual({ action: 'accept' });
    expect(await write('sizeLimits', o, signed({ content: 'far too long here' }))).toMatchObject({ action: 'reject', reason: 'invalid: content longer than 10 characters', rule: 'size' });
    expect(await write('sizeLimits', o, signed({ content: 'x', tags: [['t', 'a'], ['t', 'b'], ['t', 'c']] }))).toMatchObject({ reason: 'invalid: more than 2 tags' });
    expect(await write('sizeLimits', o, signed({ content: 'x', tags: [['t', 'abcdef']] }))).toMatchObject({ action: 'reject' });
    expect(await write('sizeLimits', { maxEventBytes: 200 }, signed())).toMatchObject({ reason: 'invalid: event larger than 200 bytes' });
  });

  it('kinds', async () => {
    const o = { allow: [1, [30000, 39999]], deny: [30023] };
    expect((await write('kinds', o, signed({ kind: 1 }))).action).toBe('accept');
    expect((await write('kinds', o, signed({ kind: 30001 }))).action).toBe('accept');
    expect(await write('kinds', o, signed({ kind: 30023 }))).toMatchObject({ action: 'reject', reason: 'blocked: kind 30023 is not accepted here' });
    expect((await write('kinds', o, signed({ kind: 7 }))).action).toBe('reject');
  });

  it('createdAt', async () => {
    const now = Math.floor(Date.now() / 1000);
    const o = { maxAgeSeconds: 3600, maxFutureSeconds: 60 };
    expect((await write('createdAt', o, signed({ created_at: now }))).action).toBe('accept');
    expect(await write('createdAt', o, signed({ created_at: now + 600 }))).toMatchObject({ reason: 'invalid: created_at is more than 60 seconds in the future' });
    expect(await write('createdAt', o, signed({ created_at: now - 7200 }))).toMatchObject({ reason: 'invalid: created_at is more than 3600 seconds in the past' });
    const p = await make('createdAt', o);
    expect((await p.write!(writeInput(signed({ created_at: now - 7200 }), undefined, 'import'))).action).toBe('accept');
  });

  it('pubkeys: allow and deny lists (hex or npub) on write, auth and live delivery', async () => {
    const good = generateSecretKey();
    const bad = generateSecretKey();
    const p = await make('pubkeys', { allow: [nip19.npubEncode(getPublicKey(good)), getPublicKey(bad)], deny: [getPublicKey(bad)] });
    expect((await p.write!(writeInput(signed({}, good)))).action).toBe('accept');
    expect(await p.write!(writeInput(signed({}, bad)))).toMatchObject({ reason: 'blocked: this author is not welcome here' });
    expect(await p.write!(writeInput(signed()))).toMatchObject({ reason: expect.stringMatching(/^restricted: /) });
    expect((await p.auth!({ pubkey: getPublicKey(bad), conn: conn() })).action).toBe('reject');
    expect(p.broadcast!({ event: signed({}, bad), recipient: conn(), subId: 's' })).toBe(false);
    expect(p.broadcast!({ event: signed({}, good), recipient: conn(), subId: 's' })).toBe(true);
  });

  it('keywords: words, patterns and hashtags, with a choice of action', async () => {
    const o = { keywords: ['buy now'], patterns: ['free\\s+sats'], hashtags: ['#casino'] };
    expect((await write('keywords', o, signed({ content: 'I would buy nowhere else' }))).action).toBe('accept');
    expect(await write('keywords', o, signed({ content: 'BUY NOW, limited offer' }))).toMatchObject({ action: 'reject', reason: 'blocked: contains "buy now"', rule: 'content' });
    expect((await write('keywords', o, signed({ content: 'Free   sats here' }))).action).toBe('reject');
    expect(await write('keywords', o, signed({ content: 'fun night', tags: [['t', 'Casino']] }))).toMatchObject({ reason: 'blocked: hashtag #casino is not accepted here' });
    expect((await write('keywords', o, signed({ content: 'fun night #casino' }))).action).toBe('reject');
    expect(await write('keywords', { ...o, action: 'hold' }, signed({ content: 'buy now' }))).toMatchObject({ action: 'hold' });
    expect(await write('keywords', { ...o, action: 'label' }, signed({ content: 'buy now' }))).toMatchObject({ action: 'label', labels: [{ namespace: 'hamlet.keyword', value: 'buy now' }] });
    await expect(make('keywords', { patterns: ['(unclosed'] })).rejects.toThrow();
  });

  it('hellthread: too many p tags, follow lists exempt', async () => {
    const many = Array.from({ length: 6 }, () => ['p', getPublicKey(generateSecretKey())]);
    expect(await write('hellthread', { maxPTags: 5 }, signed({ tags: many }))).toMatchObject({ action: 'reject', reason: 'blocked: mentions more than 5 people', rule: 'hellthread' });
    expect((await write('hellthread', { maxPTags: 5 }, signed({ tags: many.slice(0, 5) }))).action).toBe('accept');
    expect((await write('hellthread', { maxPTags: 5 }, signed({ kind: 3, tags: many }))).action).toBe('accept');
  });

  it('duplicates: the same content from many authors, and one author flooding', async () => {
    const p = await make('duplicates', { maxCopies: 2, minLength: 10, floodMax: 3, exemptIps: [] });
    const text = 'Check out my amazing offer today';
    expect((await p.write!(writeInput(signed({ content: text })))).action).toBe('accept');
    expect((await p.write!(writeInput(signed({ content: text.toUpperCase() })))).action).toBe('accept');
    expect(await p.write!(writeInput(signed({ content: `  ${text}\n` })))).toMatchObject({ action: 'reject', reason: 'blocked: duplicate content', rule: 'spam' });
    expect((await p.write!(writeInput(signed({ content: 'gm' })))).action).toBe('accept');
    const sk = generateSecretKey();
    for (let i = 0; i < 3; i++) expect((await p.write!(writeInput(signed({ content: `note ${i}` }, sk)))).action).toBe('accept');
    expect(await p.write!(writeInput(signed({ content: 'note 4' }, sk)))).toMatchObject({ reason: 'rate-limited: more than 3 events in 60 seconds', rule: 'flood' });
    // No address is exempt by default (behind a proxy every client may be loopback); the operator names them.
    const dflt = await make('duplicates', { maxCopies: 1, minLength: 1 });
    expect((await dflt.write!(writeInput(signed({ content: text }), '127.0.0.1'))).action).toBe('accept');
    expect((await dflt.write!(writeInput(signed({ content: text }), '127.0.0.1'))).action).toBe('reject');
    const local = await make('duplicates', { maxCopies: 1, minLength: 1, exemptIps: ['loopback', '10.0.0.0/8'] });
    for (const ip of ['127.0.0.1', '127.0.0.1', '::1', '10.1.2.3']) expect((await local.write!(writeInput(signed({ content: text }), ip))).action).toBe('accept');
    // Exempt copies are not counted: the first copy from elsewhere passes, the second does not.
    expect((await local.write!(writeInput(signed({ content: text }), '198.51.100.1'))).action).toBe('accept');
    expect((await local.write!(writeInput(signed({ content: text }), '198.51.100.1'))).action).toBe('reject');
    await expect(make('duplicates', { exemptIps: ['localhost'] })).rejects.toThrow(/exemptIps/);
  });

  it('pow: difficulty per kind and per trust level', async () => {
    const sk = generateSecretKey();
    const mined = (difficulty: number, kind = 1): NostrEvent =>
      finalizeEvent(nip13.minePow({ kind, content: 'work', tags: [], created_at: Math.floor(Date.now() / 1000), pubkey: getPublicKey(sk) }, difficulty), sk) as NostrEvent;
    const e8 = mined(8);
    expect(nip13.getPow(e8.id)).toBeGreaterThanOrEqual(8);
    expect((await write('pow', { difficulty: 8 }, e8)).action).toBe('accept');
    // An id with fewer than 8 leading zero bits (1 in 256 random ids has more).
    const weakly = (key = sk): NostrEvent => {
      for (;;) {
        const e = signed({}, key);
        if (nip13.getPow(e.id) < 8) return e;
      }
    };
    const weak = weakly();
    const d = await write('pow', { difficulty: 8 }, weak);
    expect(d).toMatchObject({ action: 'reject', rule: 'pow' });
    expect((d as { reason: string }).reason).toMatch(/^pow: difficulty \d+ is less than 8$/);
    expect((await write('pow', { kinds: { '7': 8 } }, weak)).action).toBe('accept');
    expect((await write('pow', { kinds: { '1': 8 } }, weak)).action).toBe('reject');
    // Trust: members post freely, strangers must work.
    const trust = new TrustGraph();
    trust.configure([getPublicKey(sk)], 1);
    const o = { trust: { '0': 0, unknown: 8 } };
    expect((await write('pow', o, weak, undefined, { trust })).action).toBe('accept');
    expect((await write('pow', o, weakly(generateSecretKey()), undefined, { trust })).action).toBe('reject');
  });

  it('rateLimit: token buckets per IP and per pubkey, writes and reads, exempt addresses only when named', async () => {
    const p = await make('rateLimit', { perIp: { perMinute: 1, burst: 3 }, perPubkey: { perMinute: 1, burst: 2 }, exemptIps: [] });
    const sk = generateSecretKey();
    const d1 = [await p.write!(writeInput(signed({}, sk), '198.51.100.1')), await p.write!(writeInput(signed({}, sk), '198.51.100.2'))];
    expect(d1.map((d) => d.action)).toEqual(['accept', 'accept']);
    expect(await p.write!(writeInput(signed({}, sk), '198.51.100.3'))).toMatchObject({ action: 'reject', reason: 'rate-limited: slow down, too many events from this author', rule: 'flood' });
    for (let i = 0; i < 3; i++) expect((await p.write!(writeInput(signed(), '198.51.100.9'))).action).toBe('accept');
    expect(await p.write!(writeInput(signed(), '198.51.100.9'))).toMatchObject({ reason: 'rate-limited: slow down, too many events from your address' });
    for (let i = 0; i < 3; i++) expect((await p.read!(readInput([{}], '198.51.100.9'))).action).toBe('accept');
    expect(await p.read!(readInput([{}], '198.51.100.9'))).toMatchObject({ reason: 'rate-limited: slow down, too many requests from your address' });
    for (let i = 0; i < 3; i++) expect((await p.connection!({ ip: '198.51.100.9' })).action).toBe('accept');
    expect((await p.connection!({ ip: '198.51.100.9' })).action).toBe('reject');
    // Imports are not client traffic.
    expect((await p.write!(writeInput(signed({}, sk), '198.51.100.3', 'import'))).action).toBe('accept');
    // Loopback is limited like any address unless named (a proxy that forwards no address makes everyone loopback).
    const dflt = await make('rateLimit', { perIp: { perMinute: 1, burst: 1 } });
    expect((await dflt.write!(writeInput(signed(), '127.0.0.1'))).action).toBe('accept');
    expect((await dflt.write!(writeInput(signed(), '127.0.0.1'))).action).toBe('reject');
    expect((await dflt.connection!({ ip: '::1' })).action).toBe('accept');
    const named = await make('rateLimit', { perIp: { perMinute: 1, burst: 1 }, exemptIps: ['loopback', '2001:db8::/32'] });
    for (const ip of ['127.0.0.1', '127.0.0.1', '::ffff:127.0.0.1', '2001:db8::5', '2001:db8::5']) expect((await named.write!(writeInput(signed(), ip))).action).toBe('accept');
    for (let i = 0; i < 3; i++) expect((await named.read!(readInput([{}], '::1'))).action).toBe('accept');
  });

  it('webOfTrust: hop distance from the members', async () => {
    const [m, a, b] = [generateSecretKey(), generateSecretKey(), generateSecretKey()];
    const trust = new TrustGraph(() => []);
    trust.configure([getPublicKey(m)], 2);
    const p = await make('webOfTrust', { maxHops: 1 }, { trust });
    expect((await p.write!(writeInput(signed({}, m)))).action).toBe('accept');
    expect(await p.write!(writeInput(signed({}, a)))).toMatchObject({ action: 'reject', reason: "restricted: only people within 1 follow hops of the village's members may post here", rule: 'trust' });
    trust.update(signed({ kind: 3, tags: [['p', getPublicKey(a)]] }, m));
    expect((await p.write!(writeInput(signed({}, a)))).action).toBe('accept');
    trust.update(signed({ kind: 3, tags: [['p', getPublicKey(b)]] }, a));
    expect(trust.distance(getPublicKey(b))).toBe(2);
    expect((await p.write!(writeInput(signed({}, b)))).action).toBe('reject');
    expect((await (await make('webOfTrust', {}, { trust })).write!(writeInput(signed({}, b)))).action).toBe('accept');
  });

  it('filterLimits: refuses unbounded filters and caps limit', async () => {
    const p = await make('filterLimits', { maxLimit: 100 });
    expect(await p.read!(readInput([{ limit: 10 }]))).toMatchObject({ action: 'reject', reason: 'restricted: filter too broad; narrow it by author, kind, tag or time', rule: 'scraping' });
    expect((await p.read!(readInput([{ kinds: [1], limit: 50 }]))).action).toBe('accept');
    expect(await p.read!(readInput([{ kinds: [1], limit: 500 }, { kinds: [7] }]))).toEqual({ action: 'rewrite', filters: [{ kinds: [1], limit: 100 }, { kinds: [7], limit: 100 }], rule: 'scraping' });
    const span = await make('filterLimits', { maxKindsOnlySpanSeconds: 3600 });
    const now = Math.floor(Date.now() / 1000);
    expect((await span.read!(readInput([{ kinds: [1] }]))).action).toBe('reject');
    expect((await span.read!(readInput([{ kinds: [1], since: now - 60 }]))).action).toBe('accept');
    expect((await span.read!(readInput([{ kinds: [1], authors: ['a'.repeat(64)] }]))).action).toBe('accept');
  });

  it('toxicity: score over threshold holds, with the model in the evidence', async () => {
    const classifier = {
      id: 'test/lexicon',
      version: '7',
      classify: async (texts: readonly string[]) => texts.map((t) => ({ toxic: /idiot/.test(t) ? 0.93 : /meh/.test(t) ? 0.6 : 0.01, insult: 0 })),
    };
    const o = { threshold: 0.8, labelThreshold: 0.5 };
    expect((await write('toxicity', o, signed({ content: 'lovely garden' }), undefined, { classifier })).action).toBe('accept');
    expect(await write('toxicity', o, signed({ content: 'you idiot' }), undefined, { classifier })).toEqual({
      action: 'hold',
      reason: 'blocked: content scored toxic 0.93 by test/lexicon',
      rule: 'abuse',
      evidence: { model: 'test/lexicon', modelVersion: '7', score: 0.93 },
    });
    expect(await write('toxicity', o, signed({ content: 'meh' }), undefined, { classifier })).toMatchObject({ action: 'label', labels: [{ namespace: 'hamlet.toxicity', value: 'toxic', score: 0.6 }] });
    // Without the relay's models, the built-in lexicon model from models/ judges.
    const builtin = await make('toxicity', { action: 'reject' });
    expect(await builtin.write!(writeInput(signed({ content: 'you are a stupid idiot' })))).toMatchObject({
      action: 'reject',
      rule: 'abuse',
      evidence: { model: 'hamlet/builtin-lexicon-toxicity', modelVersion: '1' },
    });
    expect((await builtin.write!(writeInput(signed({ content: 'lovely tomatoes this year' })))).action).toBe('accept');
  });
});
