import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nip44 } from 'nostr-tools';
import { Author, now } from '../helpers/client.ts';
import { readVersion, sha256 } from './verify.ts';
import { consent, startVillage, tag, type Village } from './village.ts';

let v: Village | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

const ids = (events: { id: string }[]) => events.map((e) => e.id).sort();

describe('datasets of consented posts', () => {
  it('exports the posts of members who consent, and only theirs: on, off, changed, absent, and the narrower use', async () => {
    v = await startVillage();
    const [on, off, changed, absent, genaiOnly] = [new Author(), new Author(), new Author(), new Author(), new Author()];
    const t = now() - 100;
    await v.send(consent(on, { 'train-ai': 'y' }, 'CC0-1.0', t));
    await v.send(consent(off, { 'train-ai': 'n', search: 'y' }, undefined, t));
    // changed their mind: the later statement replaces the earlier one
    await v.send(consent(changed, { 'train-ai': 'n' }, undefined, t));
    await v.send(consent(changed, { 'train-ai': 'y' }, undefined, t + 10));
    await v.send(consent(genaiOnly, { 'train-genai': 'y' }, undefined, t));
    const posts = Object.fromEntries(
      [on, off, changed, absent, genaiOnly].map((a, i) => [i, a.sign({ content: `post ${i}`, created_at: t + 20, tags: [['t', 'Garden']] })]),
    );
    for (const p of Object.values(posts)) await v.send(p);

    const [trainAi] = await v.r.commons!.runNow();
    expect(trainAi).toMatchObject({ status: 'published', purpose: 'train-ai', version: '1.0.0', records: 2 });
    const got = readVersion(trainAi!.dir);
    expect(ids(got.events)).toEqual(ids([posts[0]!, posts[2]!]));
    expect(got.badFiles).toEqual([]);
    expect(got.badSignatures).toEqual([]);
    // the records keep their authors' licences; one who named none is under the relay's
    const csv = readFileSync(join(trainAi!.dir, 'posts.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('id,pubkey,created_at,kind,content,hashtags,license,consent_event');
    expect(csv).toContain(`${posts[0]!.id},${on.pubkey},`);
    expect(csv).toMatch(new RegExp(`${posts[0]!.id}.*,garden,CC0-1\\.0,`));
    expect(csv).toMatch(new RegExp(`${posts[2]!.id}.*,garden,CC-BY-4\\.0,`));
    expect(got.manifest.counts.byKind).toEqual({ 1: 2 });

    // train-genai is a narrower train-ai: those who allow train-ai allow it, and the one who allowed only it is in
    v.r.relay.setConfig({ ...v.r.relay.config, commons: { ...v.r.relay.config.commons, purposes: ['train-genai'] } });
    const [genai] = await v.r.commons!.runNow();
    expect(ids(readVersion(genai!.dir).events)).toEqual(ids([posts[0]!, posts[2]!, posts[4]!]));
  }, 120_000);

  it('never exports DMs, gift wraps, seals, chat or protected events, whatever the consent', async () => {
    v = await startVillage();
    const alice = new Author();
    const bob = new Author();
    await v.send(consent(alice, { 'train-ai': 'y', 'train-genai': 'y', search: 'y' }));
    // even an operator who lists private kinds in commons.kinds cannot export them
    v.r.relay.setConfig({ ...v.r.relay.config, commons: { ...v.r.relay.config.commons, kinds: [1, 4, 13, 14, 15, 1059] } });
    const note = alice.sign({ content: 'hello village' });
    await v.send(note);
    const key = nip44.v2.utils.getConversationKey(alice.sk, bob.pubkey);
    await v.send(alice.sign({ kind: 4, content: nip44.v2.encrypt('secret', key), tags: [['p', bob.pubkey]] }));
    await v.send(alice.sign({ kind: 1059, content: 'wrapped', tags: [['p', bob.pubkey]] }));
    await v.send(alice.sign({ kind: 13, content: 'sealed' }));
    await v.send(alice.sign({ kind: 14, content: 'chat', tags: [['p', bob.pubkey]] }));
    await v.sendProtected(alice, alice.sign({ content: 'only here', tags: [['-']] }));
    const [r] = await v.r.commons!.runNow();
    const { events } = readVersion(r!.dir);
    expect(ids(events)).toEqual([note.id]);
    expect(readFileSync(join(r!.dir, 'posts.csv'), 'utf8')).not.toContain('only here');
  }, 120_000);

  it('a withdrawal, a deletion, a vanish and moderation each make a new major version without those posts, and supersede the old', async () => {
    v = await startVillage();
    const [ana, ben, cy] = [new Author(), new Author(), new Author()];
    const t = now() - 100;
    await v.send(consent(ana, { 'train-ai': 'y' }, undefined, t));
    for (const a of [ben, cy]) await v.send(consent(a, { 'train-ai': 'y' }, undefined, t));
    const p = (a: Author, content: string) => a.sign({ content, created_at: t + 1 });
    const [a1, a2, b1, c1, c2] = [p(ana, 'a1'), p(ana, 'a2'), p(ben, 'b1'), p(cy, 'c1'), p(cy, 'c2')];
    for (const e of [a1, a2, b1, c1, c2]) await v.send(e);
    const run = async () => (await v!.r.commons!.runNow())[0]!;

    const first = await run();
    expect(first).toMatchObject({ version: '1.0.0', records: 5 });
    expect(await run()).toMatchObject({ status: 'unchanged', version: '1.0.0' });

    // a new post: a minor version
    const a3 = p(ana, 'a3');
    await v.send(a3);
    expect(await run()).toMatchObject({ version: '1.1.0', added: 1, removed: 0 });

    // ana chooses another licence for her posts: the same records under new terms, a minor version
    const anaConsent = consent(ana, { 'train-ai': 'y' }, 'CC0-1.0', t + 40);
    await v.send(anaConsent);
    const relicensed = await run();
    expect(relicensed).toMatchObject({ version: '1.2.0', added: 0, removed: 0 });
    expect(JSON.parse(readFileSync(join(relicensed.dir, 'changes.json'), 'utf8')).relicensed).toEqual(ids([a1, a2, a3]));

    // ben withdraws
    await v.send(consent(ben, { 'train-ai': 'n' }, undefined, t + 50));
    const withdrawn = await run();
    expect(withdrawn).toMatchObject({ version: '2.0.0', removed: 1 });
    expect(JSON.parse(readFileSync(join(withdrawn.dir, 'changes.json'), 'utf8'))).toMatchObject({ previous: '1.2.0', removed: [b1.id], added: [] });

    // ana deletes a post (NIP-09)
    await v.send(ana.sign({ kind: 5, tags: [['e', a1.id]] }));
    expect(await run()).toMatchObject({ version: '3.0.0', removed: 1 });

    // moderation hides one of cy's posts
    expect(await v.r.relay.store.hide(c1.id)).toBe(true);
    expect(await run()).toMatchObject({ version: '4.0.0', removed: 1 });

    // cy vanishes (NIP-62): everything of theirs, the consent included
    await v.send(cy.sign({ kind: 62, tags: [['relay', v.r.url]] }));
    const last = await run();
    expect(last).toMatchObject({ version: '5.0.0', removed: 1 });
    expect(ids(readVersion(last.dir).events)).toEqual(ids([a2, a3]));

    // ana deletes her consent event (NIP-09): no statement, no export; the version is empty but published, to supersede 5.0.0
    await v.send(ana.sign({ kind: 5, tags: [['e', anaConsent.id]] }));
    expect(await run()).toMatchObject({ version: '6.0.0', records: 0, removed: 2 });

    // every earlier version's manifest event now says it is superseded, and by what
    const manifests = await v.manifests();
    const byVersion = new Map(manifests.map((m) => [tag(m, 'version'), m]));
    expect([...byVersion.keys()].sort()).toEqual(['1.0.0', '1.1.0', '1.2.0', '2.0.0', '3.0.0', '4.0.0', '5.0.0', '6.0.0']);
    expect(tag(byVersion.get('6.0.0')!, 'status')).toBe('current');
    expect(tag(byVersion.get('5.0.0')!, 'status')).toBe('superseded');
    expect(tag(byVersion.get('1.1.0')!, 'status')).toBe('superseded');
    expect(tag(byVersion.get('1.1.0')!, 'superseded_by')).toBe('2.0.0');
    expect(tag(byVersion.get('1.1.0')!, 'reason')).toBe('withdrawal');
    // 1.0.0 was first superseded by additions (1.1.0), then marked again when 2.0.0 left withdrawn posts out
    expect(tag(byVersion.get('1.0.0')!, 'superseded_by')).toBe('2.0.0');
    expect(tag(byVersion.get('1.0.0')!, 'reason')).toBe('withdrawal');
    expect(tag(byVersion.get('4.0.0')!, 'superseded_by')).toBe('5.0.0');
    expect(manifests.every((m) => m.pubkey === manifests[0]!.pubkey)).toBe(true);
    // the superseded event still carries the manifest the old files match
    const old = readVersion(first.dir);
    expect(byVersion.get('1.0.0')!.content).toBe(old.manifestText);
    expect(tag(byVersion.get('1.0.0')!, 'x')).toBe(sha256(old.manifestText));
  }, 180_000);
});
