import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvent } from 'nostr-tools';
import * as nip44 from 'nostr-tools/nip44';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { Author, RawClient, runJob, status } from '../dvms/helpers.ts';
import { trainTags } from '../../dvms/tags/index.ts';
import { TAGGING_KIND } from '../../dvms/tagging/index.ts';
import { inlineEmbedder } from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { villagePosts } from './syntheticVillage.ts';

const GARDEN = 'Our gardening club planted tomatoes and beans in the village garden, and the compost is finally ready for the seedlings.';

/** A relay with only the tagging DVM (no feeds) on the DVM runtime. */
function startTagRelay(overrides: Record<string, Record<string, unknown>> = {}): Promise<TestRelay> {
  // registered the way the relay does it (cli/hamlet.ts with dvms/tagging), switched on by labels.tagsDvm
  return startTestRelay({ ...overrides, dvms: { enabled: true, feeds: [] }, labels: { tagsDvm: true, vocabulary: ['gardening', 'bitcoin', 'music'], ...overrides.labels } });
}

const content = (e: NostrEvent): string[][] => JSON.parse(e.content) as string[][];
const suggested = (e: NostrEvent): string[] => content(e).filter((t) => t[0] === 't').map((t) => t[1]!);

describe('tagging DVM (kind 5320) over a real WebSocket', () => {
  let relay: TestRelay;
  let client: RawClient;
  let dvm: string;
  const alice = new Author();

  beforeAll(async () => {
    relay = await startTagRelay();
    client = await RawClient.open(relay.url);
    dvm = relay.dvms!.dvms.find((d) => d.kind === TAGGING_KIND)!.pubkey;
  });
  afterAll(async () => {
    client.close();
    await relay.destroy();
  });

  it('announces itself (31990, k 5320, nip90Params) and sends heartbeats', async () => {
    const { events } = await client.req('a', { kinds: [31990], '#k': [String(TAGGING_KIND)] });
    expect(events).toHaveLength(1);
    const a = events[0]!;
    expect(a.pubkey).toBe(dvm);
    expect(a.tags).toContainEqual(['d', 'tags']);
    const c = JSON.parse(a.content) as { name: string; nip90Params: Record<string, { type: string }>; namespaces: string[]; tagger: string; encryptionSupported: boolean };
    expect(c.name).toBe('Hamlet: Tags and labels');
    expect(Object.keys(c.nip90Params).sort()).toEqual(['labels', 'max_results', 'min_score']);
    expect(c.nip90Params.max_results!.type).toBe('integer');
    expect(c.namespaces).toEqual(['#t', 'ISO-639-1', 'content-warning', 'village.hamlet.toxicity']);
    expect(c.tagger).toBe('vocabulary');
    const beats = await client.req('h', { kinds: [11998], authors: [dvm] });
    expect(beats.events).toHaveLength(1);
  });

  it('suggests hashtags and NIP-32 labels for a text, with processing feedback first', async () => {
    const request = alice.sign({ kind: TAGGING_KIND, tags: [['i', GARDEN, 'text'], ['param', 'max_results', '2'], ['relays', relay.url]] });
    const { feedback, result, error } = await runJob(client, request);
    expect(error).toBeUndefined();
    expect(status(feedback[0]!)[1]).toBe('processing');
    expect(result!.kind).toBe(TAGGING_KIND + 1000);
    expect(verifyEvent(result! as never)).toBe(true);
    expect(result!.pubkey).toBe(dvm);
    expect(result!.tags).toContainEqual(['e', request.id, relay.url]);
    expect(result!.tags).toContainEqual(['p', alice.pubkey]);
    expect(result!.tags).toContainEqual(['i', GARDEN, 'text']);
    expect(JSON.parse(result!.tags.find((t) => t[0] === 'request')![1]!)).toEqual(request);
    expect(result!.tags.filter((t) => t[0] === 'model').map((t) => t[1])).toEqual(expect.arrayContaining(['hamlet/vocabulary-tagger', 'franc']));
    const tags = content(result!);
    const t = tags.filter((x) => x[0] === 't');
    expect(t.length).toBeLessThanOrEqual(2);
    expect(t[0]!.slice(0, 2)).toEqual(['t', 'gardening']);
    expect(Number(t[0]![2])).toBeGreaterThan(0);
    // labels as self-labels a client can add: every l carries the namespace of an L before it
    const L = new Set(tags.filter((x) => x[0] === 'L').map((x) => x[1]));
    for (const l of tags.filter((x) => x[0] === 'l')) expect(L.has(l[2])).toBe(true);
    expect(tags).toContainEqual(['L', 'ISO-639-1']);
    expect(tags.find((x) => x[0] === 'l' && x[2] === 'ISO-639-1')![1]).toBe('en');
    expect(tags.find((x) => x[0] === 'l' && x[2] === '#t')![1]).toBe('gardening');
  });

  it('tags a stored event by id, leaving out the hashtags it already has', async () => {
    const post = alice.sign({ content: `${GARDEN} I paid the seeds with sats over lightning from my bitcoin wallet.`, tags: [['t', 'gardening']] });
    expect((await client.publish(post))[0]).toBe(true);
    const { result } = await runJob(client, alice.sign({ kind: TAGGING_KIND, tags: [['i', post.id, 'event', relay.url], ['param', 'labels', 'none']] }));
    expect(suggested(result!)).toContain('bitcoin');
    expect(suggested(result!)).not.toContain('gardening');
    expect(content(result!).every((t) => t[0] === 't')).toBe(true); // labels: none
  });

  it('reads a NIP-44 encrypted request and answers encrypted, with no clear input', async () => {
    const key = (to: string) => nip44.v2.utils.getConversationKey(alice.sk, to);
    const hidden = [['i', GARDEN, 'text'], ['param', 'labels', 'language']];
    const request = alice.sign({ kind: TAGGING_KIND, content: nip44.v2.encrypt(JSON.stringify(hidden), key(dvm)), tags: [['p', dvm], ['encrypted']] });
    const { result, error } = await runJob(client, request);
    expect(error).toBeUndefined();
    expect(result!.tags).toContainEqual(['encrypted']);
    expect(result!.tags.some((t) => t[0] === 'i')).toBe(false);
    expect(result!.content).not.toContain('gardening');
    const tags = JSON.parse(nip44.v2.decrypt(result!.content, key(dvm))) as string[][];
    expect(tags[0]!.slice(0, 2)).toEqual(['t', 'gardening']);
    expect(tags).toContainEqual(['L', 'ISO-639-1']);
    expect(tags.some((t) => t[0] === 'L' && t[1] !== 'ISO-639-1')).toBe(false);
  });

  it('answers text/plain when asked', async () => {
    const { result } = await runJob(client, alice.sign({ kind: TAGGING_KIND, tags: [['i', GARDEN, 'text'], ['output', 'text/plain']] }));
    expect(result!.content).toMatch(/^#gardening \(0\.\d+\)/);
    expect(result!.content).toMatch(/ISO-639-1: en/);
  });

  it('refuses bad input with error feedback: url input, bad params, unknown output, a DM by id', async () => {
    const bob = new Author();
    const dm = alice.sign({ kind: 4, content: 'a private message about gardening and tomatoes', tags: [['p', bob.pubkey]] });
    expect((await client.publish(dm))[0]).toBe(true);
    const cases: [string[][], RegExp][] = [
      [[['i', 'https://example.com/post', 'url']], /not supported/],
      [[['i', GARDEN, 'text'], ['param', 'max_results', '0']], /max_results/],
      [[['i', GARDEN, 'text'], ['param', 'labels', 'astrology']], /unknown namespace/],
      [[['i', GARDEN, 'text'], ['output', 'image/png']], /not offered/],
      [[['i', dm.id, 'event']], /not on this relay/],
      [[['i', 'ab'.repeat(32), 'event']], /not on this relay/],
      [[], /no input/],
    ];
    for (const [tags, reason] of cases) {
      const { error, result } = await runJob(client, alice.sign({ kind: TAGGING_KIND, tags }));
      expect(result).toBeUndefined();
      expect(status(error!)[2]).toMatch(reason);
    }
  });
});

describe('tagging DVM with a village-trained tagger', () => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'hamlet-tags-models-'));
  afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

  it('switches to the trained head when it beats the baseline (and says so in its announcement and results)', async () => {
    const posts = villagePosts(400).map((p, i) => ({ ...p, id: i.toString(16).padStart(64, '0'), pubkey: '0'.repeat(64), kind: 1, sig: '' }));
    // the relay runs without its model pool: the built-in embedder in process, as here
    const { card } = await trainTags({ posts, embedder: inlineEmbedder(), outDir: join(modelsDir, 'heads'), kind: 'knn' });
    expect(card.evaluation.beatsBaseline).toBe(true);
    const relay = await startTagRelay({ models: { dir: modelsDir }, labels: { vocabulary: [] } });
    const client = await RawClient.open(relay.url);
    try {
      const { events } = await client.req('a', { kinds: [31990], '#k': [String(TAGGING_KIND)] });
      expect((JSON.parse(events[0]!.content) as { tagger: string }).tagger).toBe('trained');
      const { result } = await runJob(client, new Author().sign({ kind: TAGGING_KIND, tags: [['i', 'checkmate with the knight after a long endgame, what a blitz tournament', 'text']] }));
      expect(suggested(result!)[0]).toBe('chess');
      expect(result!.tags.find((t) => t[0] === 'model')!.slice(0, 2)).toEqual(['model', 'village/tags']);
    } finally {
      client.close();
      await relay.destroy();
    }
  });
});
