import * as nip29 from 'nostr-tools/nip29';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { signed, startGroupsRelay } from '../groups/village.ts';
import { Author, dvmPubkey, items, RawClient, runJob } from './helpers.ts';

/**
 * The DVMs and NIP-29 groups: a group's posts reach only that group's feed, for a group whose
 * admins let the village's models read it, and for a private group only its members; a group
 * that has not opted in is read by no model at all.
 */
let relay: TestRelay;
let client: RawClient;
const admin = new Author();
const member = new Author();
const outsider = new Author();
const posts: Record<string, NostrEvent> = {};

const publish = async (e: NostrEvent) => {
  const [ok, msg] = await client.publish(e);
  if (!ok) throw new Error(msg);
};
const setAi = (id: string, ai: 'allow' | 'deny', extra: string[][] = []) =>
  signed(admin, { ...nip29.generateEditGroupMetadataEventTemplate({ relay: '', reference: { id, host: '' }, metadata: { id, pubkey: '', name: id } }), tags: [['h', id], ['name', id], ['ai', ai], ...extra] });

async function feed(who: Author, params: string[][] = []): Promise<{ ids: string[]; error?: string }> {
  const { result, error } = await runJob(client, who.sign({ kind: 5300, content: '', tags: [['p', dvmPubkey(relay, 'feed-for-you')], ...params] }));
  return { ids: result ? items(result).map((r) => r[1]!) : [], error: error?.content || error?.tags.find((t) => t[0] === 'status')?.[2] };
}

beforeAll(async () => {
  relay = await startGroupsRelay(admin, { dvms: { enabled: true } });
  client = await RawClient.open(relay.url);
  for (const id of ['allotment', 'quiet', 'family']) {
    await publish(signed(admin, nip29.generateCreateGroupEventTemplate(id)));
    await publish(signed(member, nip29.generateGroupJoinRequestEventTemplate(id)));
  }
  await publish(setAi('allotment', 'allow'));
  await publish(setAi('family', 'allow', [['private']]));
  // 'quiet' keeps the default: not opted in
  posts.plain = member.sign({ content: 'leeks and onions outside any group' });
  posts.allotment = member.sign({ content: 'leeks in the allotment', tags: [['h', 'allotment']] });
  posts.quiet = member.sign({ content: 'leeks in the quiet group', tags: [['h', 'quiet']] });
  posts.family = member.sign({ content: 'leeks for the family', tags: [['h', 'family']] });
  for (const e of Object.values(posts)) await publish(e);
}, 30_000);

afterAll(async () => {
  client?.close();
  await relay?.destroy();
});

describe('feeds inside NIP-29 groups (issues 20 and 23)', () => {
  it("the village feed has no group's posts", async () => {
    const { ids } = await feed(outsider);
    expect(ids).toContain(posts.plain!.id);
    expect(ids).not.toContain(posts.allotment!.id);
    expect(ids).not.toContain(posts.quiet!.id);
    expect(ids).not.toContain(posts.family!.id);
  });

  it("a consenting group's feed has its posts only; a private one only for its members", async () => {
    expect((await feed(outsider, [['param', 'group', 'allotment']])).ids).toEqual([posts.allotment!.id]);
    expect((await feed(admin, [['param', 'group', 'family']])).ids).toEqual([posts.family!.id]);
    const refused = await feed(outsider, [['param', 'group', 'family']]);
    expect(refused.ids).toEqual([]);
    expect(refused.error).toMatch(/restricted: no group "family" you can read here/);
    expect((await feed(outsider, [['param', 'group', 'nowhere']])).error).toMatch(/restricted: no group "nowhere"/);
    expect((await feed(outsider, [['param', 'group', 'bad id!']])).error).toMatch(/param group must be a group id/);
  });

  it('a group that has not opted in is read by no model: its feed is empty even for a member', async () => {
    expect((await feed(member, [['param', 'group', 'quiet']])).ids).toEqual([]);
    expect(relay.dvms!.signals!.posts.get(posts.quiet!.id)).toBeUndefined();
    expect(relay.dvms!.signals!.posts.get(posts.allotment!.id)).toBeDefined();
  });
});
