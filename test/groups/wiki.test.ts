import { normalizeIdentifier } from 'nostr-tools/nip54';
import { describe, expect, it } from 'vitest';
import { Author, fetchEvents } from '../helpers/client.ts';
import { accepted, clientOf, relayPerTest, send, startGroupsRelay } from './village.ts';

const t = relayPerTest();

const article = (a: Author, title: string, content: string, extra: string[][] = [], created_at?: number) =>
  a.sign({ kind: 30818, content, tags: [['d', normalizeIdentifier(title)], ['title', title], ...extra], ...(created_at ? { created_at } : {}) });

describe('NIP-54: the village wiki', () => {
  it('articles by topic, a fork, a merge request its author accepts, and the wiki page', async () => {
    const [mo, lu, stranger] = [new Author(), new Author(), new Author()];
    const r = (t.r = await startGroupsRelay(new Author()));
    const c = (t.c = await clientOf(r));
    const address = `30818:${mo.pubkey}:${normalizeIdentifier('Rain Water')}`;

    // the d tag is the normalized topic; empty articles are refused
    expect(await send(c, mo.sign({ kind: 30818, content: 'x', tags: [['d', 'Rain Water']] }))).toEqual({ ok: false, message: 'invalid: a wiki article\'s d tag is its normalized topic ("rain-water")' });
    expect((await send(c, article(mo, 'Rain Water', '  '))).message).toBe('invalid: a wiki article needs content');
    const original = article(mo, 'Rain Water', 'Collect it from the roof.');
    await accepted(c, original);
    await accepted(c, article(stranger, 'Compost', 'Turn it weekly.'));

    // a fork names the article it forks, on the same topic
    expect((await send(c, article(lu, 'Rain Water', 'mine', [['a', `30818:${mo.pubkey}:compost`, '', 'fork']]))).message).toBe('invalid: a fork keeps the topic of the article it forks');
    const fork = article(lu, 'Rain Water', 'Collect it from the roof. Filter it through sand.', [['a', address, r.url, 'fork'], ['e', original.id, r.url, 'fork']]);
    await accepted(c, fork);

    // a merge request: the target article, its author, the version to merge
    expect((await send(c, lu.sign({ kind: 818, tags: [['a', `30818:${stranger.pubkey}:rain-water`], ['p', stranger.pubkey], ['e', fork.id, r.url, 'source']] }))).message).toBe('invalid: the article to merge into is not on this relay');
    expect((await send(c, lu.sign({ kind: 818, tags: [['a', address], ['p', mo.pubkey]] }))).message).toBe('invalid: a merge request names the version to merge, stored here: ["e", "<id>", "<relay>", "source"]');
    const request = lu.sign({ kind: 818, content: 'added filtering', tags: [['a', address, r.url], ['p', mo.pubkey], ['e', original.id, r.url], ['e', fork.id, r.url, 'source']] });
    await accepted(c, request);

    // only the article's author accepts it, in a new version of that article
    expect((await send(c, article(stranger, 'Rain Water', 'hijack', [['e', request.id, r.url, 'merge']]))).message).toBe("invalid: only the article's author accepts a merge request, in a new version of that article");
    const merged = article(mo, 'Rain Water', fork.content, [['e', request.id, r.url, 'merge']], original.created_at + 1);
    await accepted(c, merged);
    // one article per topic per author: the merged version replaced the original
    expect((await fetchEvents(c, [{ kinds: [30818], authors: [mo.pubkey], '#d': ['rain-water'] }])).events.map((e) => e.id)).toEqual([merged.id]);

    const page = await fetch(`${r.url.replace('ws', 'http')}/wiki`, { headers: { accept: 'application/json' } });
    const { topics } = (await page.json()) as { topics: { topic: string; articles: { pubkey: string; forkOf?: string; mergeRequests: { id: string; merged: boolean }[] }[] }[] };
    expect(topics.map((t) => t.topic)).toEqual(['compost', 'rain-water']);
    const rain = topics[1]!.articles;
    expect(rain.map((a) => [a.pubkey, a.forkOf ?? null])).toEqual([[mo.pubkey, null], [lu.pubkey, address]]);
    expect(rain[0]!.mergeRequests).toEqual([{ id: request.id, from: lu.pubkey, merged: true }]);
    const html = await (await fetch(`${r.url.replace('ws', 'http')}/wiki`)).text();
    expect(html).toContain('<h2 id="rain-water">rain-water</h2>');
    expect(html).toContain('1 merged');
  });
});
