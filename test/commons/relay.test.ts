import { afterEach, describe, expect, it } from 'vitest';
import { nip19 } from 'nostr-tools';
import { Author, now } from '../helpers/client.ts';
import { httpUrl, rpc } from '../management/helpers.ts';
import { consent, startVillage, tag, type Village } from './village.ts';

let v: Village | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

describe('the commons inside the relay', () => {
  it('rebuilds on schedule: a version appears, and a withdrawal reaches the next one without an operator', async () => {
    // 0.0005 h: every 1.8 s, so the test sees several runs
    v = await startVillage({ commons: { rebuildHours: 0.0005 } });
    const [a, b] = [new Author(), new Author()];
    await v.send(consent(a, { 'train-ai': 'y' }, undefined, now() - 10));
    await v.send(consent(b, { 'train-ai': 'y' }, undefined, now() - 10));
    await v.send(a.sign({ content: 'a' }));
    await v.send(b.sign({ content: 'b' }));
    const versions = async () => new Map((await v!.manifests()).map((m) => [tag(m, 'version'), m]));
    // polled gently: the relay's read rate limit would refuse a REQ every few milliseconds
    const eventually = async (check: (m: Awaited<ReturnType<typeof versions>>) => boolean) => {
      for (let i = 0; i < 240 && !check(await versions()); i++) await new Promise((r) => setTimeout(r, 250));
      expect(check(await versions())).toBe(true);
    };
    await eventually((m) => m.has('1.0.0'));
    expect(tag((await versions()).get('1.0.0')!, 'count')).toBe('2');
    await v.send(consent(b, { 'train-ai': 'n' }));
    // the new version is published first, then the old one's event replaced by its superseded form
    await eventually((m) => m.get('1.0.0') !== undefined && tag(m.get('1.0.0')!, 'status') === 'superseded');
    const after = await versions();
    expect(tag(after.get('2.0.0')!, 'count')).toBe('1');
    expect(tag(after.get('1.0.0')!, 'superseded_by')).toBe('2.0.0');
  }, 180_000);

  it('nobody consents: no dataset is published', async () => {
    v = await startVillage();
    await v.send(new Author().sign({ content: 'no statement, no export' }));
    expect(await v.r.commons!.runNow()).toMatchObject([{ status: 'empty', records: 0 }]);
    expect(await v.manifests()).toEqual([]);
  }, 120_000);

  it('NIP-86: an admin exports, lists versions and asks about a member; a member reads their own view at /commons/which', async () => {
    const admin = new Author();
    v = await startVillage({ relay: { admins: [admin.pubkey] } });
    const m = new Author();
    await v.send(consent(m, { search: 'y' }));
    const post = m.sign({ content: 'findable' });
    await v.send(post);
    const url = httpUrl(v.r.url);
    const exported = await rpc(url, admin, 'exportdataset', ['search']);
    expect(exported).toMatchObject({ status: 200, body: { result: { status: 'published', purpose: 'search', version: '1.0.0', records: 1 } } });
    expect((await rpc(url, admin, 'listdatasets')).body.result).toMatchObject([{ purpose: 'search', version: '1.0.0', status: 'current', records: 1 }]);
    expect((await rpc(url, admin, 'datasetsof', [nip19.npubEncode(m.pubkey)])).body.result).toEqual([{ purpose: 'search', version: '1.0.0', status: 'current', ids: [post.id] }]);
    expect((await rpc(url, admin, 'exportdataset', ['ads'])).body.error).toMatch(/^invalid: /);
    expect((await rpc(url, new Author(), 'listdatasets')).status).toBe(401);

    const mine = (await (await fetch(`${url}commons/which/${nip19.npubEncode(m.pubkey)}`)).json()) as { versions: unknown[] };
    expect(mine).toEqual({ pubkey: m.pubkey, versions: [{ purpose: 'search', version: '1.0.0', status: 'current', ids: [post.id] }] });
    expect((await fetch(`${url}commons/which/nobody`)).status).toBe(400);
  }, 120_000);
});
