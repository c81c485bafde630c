import { afterEach, describe, expect, it } from 'vitest';
import { Author, publish } from '../helpers/client.ts';
import { httpUrl, rpc } from '../management/helpers.ts';
import { report, startVillage, visible, type TestVillage } from './village.ts';

let v: TestVillage | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

describe('NIP-86: the case queue for admins', () => {
  it('listcases, getcase, decidecase (the admin is the moderator on record), moderationstats; others get 401', async () => {
    const admin = new Author();
    v = await startVillage({ relay: { admins: [admin.pubkey] }, moderation: { threshold: 0.4 } });
    const url = httpUrl(v.r.url);
    const author = new Author();
    const post = author.sign({ content: 'a rude post about the mayor' });
    await publish(v.client, post);
    await publish(v.client, report(v.members[0]!, post, 'profanity'));
    await v.r.moderation!.settled();

    expect((await rpc(url, admin, 'supportedmethods')).body.result).toEqual(expect.arrayContaining(['listcases', 'getcase', 'decidecase', 'moderationstats', 'banevent']));
    expect((await rpc(url, admin, 'listcases', ['open'])).body.result).toEqual([expect.objectContaining({ id: post.id, rule: 'abuse', status: 'open', visibility: 'hidden', reports: 1 })]);
    expect((await rpc(url, admin, 'listcases', ['nonsense'])).body.error).toMatch(/^invalid: status must be one of/);
    expect((await rpc(url, admin, 'getcase', [post.id])).body.result).toMatchObject({ id: post.id, event: { id: post.id } });
    expect((await rpc(url, admin, 'decidecase', [post.id, 'maybe'])).body.error).toBe('invalid: the second param must be "uphold" or "overturn"');
    expect((await rpc(url, new Author(), 'listcases')).status).toBe(401);

    expect((await rpc(url, admin, 'decidecase', [post.id, 'overturn', 'rude but within the rules'])).body.result).toEqual({ status: 'final', visibility: 'visible' });
    expect((await rpc(url, admin, 'decidecase', [post.id, 'uphold'])).body.error).toBe('blocked: this case is closed: its decision is final');
    await v.r.moderation!.settled();
    expect(await visible(v, post.id)).toBe(true);
    const c = v.r.moderation!.getCase(post.id)!;
    expect(c.decisions[0]).toMatchObject({ outcome: 'overturn', moderator: admin.pubkey, note: 'rude but within the rules' });
    expect((await rpc(url, admin, 'moderationstats')).body.result).toMatchObject({ cases: 1, moderatorDecisions: { upheld: 0, overturned: 1 } });
  });
});
