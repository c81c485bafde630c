import * as nip29 from 'nostr-tools/nip29';
import { describe, expect, it } from 'vitest';
import { Author, fetchEvents, until } from '../helpers/client.ts';
import { accepted, clientOf, relayPerTest, signed, startGroupsRelay, stateOf, tagsOf } from './village.ts';

const t = relayPerTest();

describe("groups inside the village's rulebook", () => {
  it('a group adds its own rules; a case knows the group of its event; the group’s moderator decides it', async () => {
    const [admin, mod, seller, neighbour] = [new Author(), new Author(), new Author(), new Author()];
    const r = (t.r = await startGroupsRelay(admin, { policies: { members: [neighbour.pubkey] } }));
    const c = (t.c = await clientOf(r));
    await accepted(c, signed(admin, nip29.generateCreateGroupEventTemplate('allotment')));
    await accepted(c, signed(admin, { ...nip29.generateEditGroupMetadataEventTemplate({ relay: '', reference: { id: 'allotment', host: '' }, metadata: { id: 'allotment', pubkey: '', name: 'Allotment' } }), tags: [['h', 'allotment'], ['name', 'Allotment'], ['rule', 'no-selling', 'Swap seeds, do not sell them']] }));
    const meta = await stateOf(c, 39000, 'allotment', (e) => tagsOf(e, 'rule').length === 1);
    expect(tagsOf(meta, 'rule')).toEqual([['rule', 'no-selling', 'Swap seeds, do not sell them']]);
    await accepted(c, signed(admin, nip29.generatePutUserEventTemplate('allotment', mod.pubkey, ['moderator'])));
    await accepted(c, signed(seller, nip29.generateGroupJoinRequestEventTemplate('allotment')));

    const ad = seller.sign({ kind: 9, content: 'tomato seeds, 5 euros a pack', tags: [['h', 'allotment']] });
    await accepted(c, ad);
    await accepted(c, neighbour.sign({ kind: 1984, content: 'selling', tags: [['e', ad.id, 'spam'], ['p', seller.pubkey]] }));
    expect(r.moderation!.getCase(ad.id)).toMatchObject({ group: 'allotment', status: 'open' });

    // not the group's moderator: refused; the group's moderator: the case is decided under the group's rule
    const stranger = new Author();
    expect((await c.publish(signed(stranger, nip29.generateDeleteEventEventTemplate('allotment', ad.id)) as never).catch((e: Error) => e.message))).toBe('restricted: only an admin or moderator of this group may delete its events');
    await accepted(c, signed(mod, { ...nip29.generateDeleteEventEventTemplate('allotment', ad.id, 'selling'), tags: [['h', 'allotment'], ['e', ad.id], ['rule', 'no-selling']] }));
    await until(() => r.moderation!.getCase(ad.id)?.status === 'decided');
    const decided = r.moderation!.getCase(ad.id)!;
    expect(decided.decisions.at(-1)).toMatchObject({ outcome: 'uphold', by: 'moderator', moderator: mod.pubkey });
    expect(decided.decisions.at(-1)!.note).toContain('group:allotment/no-selling: Swap seeds, do not sell them');
    // hidden as any upheld case (appealable), not deleted
    await until(async () => (await fetchEvents(c, [{ ids: [ad.id] }])).events.length === 0);
    expect(r.services.getById(ad.id)).toBeDefined();
  });
});
