import { verifyEvent } from 'nostr-tools';
import * as nip29 from 'nostr-tools/nip29';
import { afterEach, describe, expect, it } from 'vitest';
import { Author, fetchEvents, now, type Relay } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { accepted, clientOf, send, signed, startGroupsRelay, stateOf, tagsOf } from './village.ts';

let r: TestRelay | undefined;
const clients: Relay[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await r?.destroy();
  r = undefined;
});
const connect = async (author?: Author) => {
  const c = await clientOf(r!, author);
  clients.push(c);
  return c;
};
const note = (a: Author, group: string, content = 'hello group') => a.sign({ kind: 9, content, tags: [['h', group]] });

describe('NIP-29 groups: create, join, post, remove, leave', () => {
  it('an allowed member creates a group; the relay signs its state; members post, others are refused', async () => {
    const [admin, mo, lu, stranger] = [new Author(), new Author(), new Author(), new Author()];
    r = await startGroupsRelay(admin);
    const c = await connect();

    // NIP-11 says what is supported and which key signs group state
    const doc = (await (await fetch(r.url.replace('ws', 'http'), { headers: { accept: 'application/nostr+json' } })).json()) as { supported_nips: number[]; self: string };
    expect(doc.supported_nips).toEqual(expect.arrayContaining([29, 54]));
    expect(doc.self).toMatch(/^[0-9a-f]{64}$/);

    expect(await send(c, signed(stranger, nip29.generateCreateGroupEventTemplate('gardeners')))).toEqual({ ok: false, message: 'restricted: you may not create groups on this relay (groups.creators)' });
    await accepted(c, signed(admin, nip29.generateCreateGroupEventTemplate('gardeners')));
    expect((await send(c, signed(admin, nip29.generateCreateGroupEventTemplate('gardeners', 'again')))).message).toBe('duplicate: the group "gardeners" already exists');

    const group: nip29.Group = { relay: r.url, reference: { id: 'gardeners', host: r.url }, metadata: { id: 'gardeners', pubkey: doc.self, name: 'Gardeners', about: 'soil and seeds' } };
    await accepted(c, signed(admin, nip29.generateEditGroupMetadataEventTemplate(group)));
    const meta = await stateOf(c, 39000, 'gardeners', (e) => e.tags.some((t) => t[0] === 'name' && t[1] === 'Gardeners'));
    expect(meta.pubkey).toBe(doc.self);
    expect(verifyEvent(meta as never)).toBe(true);
    expect(nip29.parseGroupMetadataEvent(meta as never)).toMatchObject({ id: 'gardeners', name: 'Gardeners', about: 'soil and seeds', isRestricted: true });
    const admins = await stateOf(c, 39001, 'gardeners');
    // NIP-29 now lists roles after the pubkey; nostr-tools 2.25 still reads the first as a label and the rest as permissions
    expect(nip29.parseGroupAdminsEvent(admins as never)).toEqual([{ pubkey: admin.pubkey, label: 'admin', permissions: [] }]);
    expect(nip29.parseGroupRolesEvent((await stateOf(c, 39003, 'gardeners')) as never).map((x) => x.name)).toEqual(['admin', 'moderator']);

    // an open group: a join request admits at once; asking again is a duplicate
    expect(await send(c, note(mo, 'gardeners'))).toEqual({ ok: false, message: 'restricted: only members of this group may post in it; send a join request (kind 9021) first' });
    await accepted(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('gardeners')));
    expect((await send(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('gardeners', undefined, 'again')))).message).toBe('duplicate: you are already a member of this group');
    await accepted(c, note(mo, 'gardeners', 'tomatoes are in'));
    await stateOf(c, 39002, 'gardeners', (e) => nip29.parseGroupMembersEvent(e as never).some((m) => m.pubkey === mo.pubkey));

    // an admin adds a member with a role; a moderator removes a member; the removed member is refused and cannot rejoin
    await accepted(c, signed(admin, nip29.generatePutUserEventTemplate('gardeners', lu.pubkey, ['moderator'])));
    await accepted(c, signed(lu, nip29.generateRemoveUserEventTemplate('gardeners', mo.pubkey, 'spam')));
    expect(await send(c, note(mo, 'gardeners'))).toEqual({ ok: false, message: 'blocked: you were removed from this group' });
    expect((await send(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('gardeners', undefined, 'let me back')))).message).toBe('blocked: the moderators of this group removed you; only an admin can add you back');
    // a moderator may not remove an admin, nor give roles
    expect((await send(c, signed(lu, nip29.generateRemoveUserEventTemplate('gardeners', admin.pubkey)))).message).toBe('restricted: only an admin may remove an admin');
    expect((await send(c, signed(lu, nip29.generatePutUserEventTemplate('gardeners', stranger.pubkey)))).message).toBe('restricted: only an admin of this group may add members or give roles');

    // leaving: the relay issues the 9001 itself
    await accepted(c, signed(lu, nip29.generateGroupLeaveRequestEventTemplate('gardeners')));
    const removal = await stateOfRemoval(c, lu.pubkey);
    expect(removal.pubkey).toBe(doc.self);
    expect(await send(c, note(lu, 'gardeners'))).toMatchObject({ ok: false });

    // an admin deletes an event of the group
    const post = note(admin, 'gardeners', 'to be removed');
    await accepted(c, post);
    await accepted(c, signed(admin, nip29.generateDeleteEventEventTemplate('gardeners', post.id)));
    await expectGone(c, post.id);
  });

  it('closed groups take invite codes; the codes are read by the group’s admins only', async () => {
    const [admin, mo, lu] = [new Author(), new Author(), new Author()];
    r = await startGroupsRelay(admin);
    const c = await connect();
    await accepted(c, { ...signed(admin, { ...nip29.generateCreateGroupEventTemplate('council'), tags: [['h', 'council'], ['closed'], ['name', 'Council']] }) });
    expect(await send(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('council')))).toEqual({ ok: false, message: 'restricted: this group is closed; join with an invite code from one of its admins' });
    expect((await send(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('council', 'guess')))).message).toBe('restricted: this invite code is not valid for this group');
    expect((await send(c, signed(mo, nip29.generateCreateInviteEventTemplate('council', 'mine')))).message).toBe('restricted: only an admin or moderator of this group may make invite codes');
    const invite = signed(admin, nip29.generateCreateInviteEventTemplate('council', 'spring-2027'));
    await accepted(c, invite);
    await accepted(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('council', 'spring-2027')));
    await accepted(c, note(mo, 'council'));
    // the code is not served to a stranger nor to a plain member; the admin sees it
    expect((await fetchEvents(c, [{ kinds: [9009] }])).events).toEqual([]);
    expect((await fetchEvents(await connect(mo), [{ kinds: [9009], '#h': ['council'] }])).events).toEqual([]);
    expect((await fetchEvents(await connect(admin), [{ kinds: [9009] }])).events.map((e) => e.id)).toEqual([invite.id]);
    expect((await send(c, signed(lu, nip29.generateGroupJoinRequestEventTemplate('council')))).ok).toBe(false);

    // hidden: the state is served to members only; supported_kinds: other kinds are refused
    await accepted(c, signed(admin, { kind: 9002, created_at: now(), content: '', tags: [['h', 'council'], ['name', 'Council'], ['closed'], ['hidden'], ['supported_kinds', '9']] }));
    await r!.groups!.settled();
    expect((await fetchEvents(c, [{ kinds: [39000], '#d': ['council'] }])).events).toEqual([]);
    expect(nip29.parseGroupMetadataEvent((await fetchEvents(await connect(mo), [{ kinds: [39000], '#d': ['council'] }])).events[0] as never)).toMatchObject({ isHidden: true, isClosed: true, supportedKinds: ['9'] });
    expect(await send(c, mo.sign({ kind: 1, tags: [['h', 'council']] }))).toEqual({ ok: false, message: 'restricted: this group does not take kind 1 (supported: 9)' });
  });

  it('private groups: reads need NIP-42 as a member, on REQ and live delivery alike', async () => {
    const [admin, mo, outsider] = [new Author(), new Author(), new Author()];
    r = await startGroupsRelay(admin);
    const anon = await connect();
    const adminC = await connect(admin);
    await accepted(anon, signed(admin, { ...nip29.generateCreateGroupEventTemplate('family'), tags: [['h', 'family'], ['private'], ['closed']] }));
    await accepted(anon, signed(admin, nip29.generatePutUserEventTemplate('family', mo.pubkey)));
    const moC = await connect(mo);
    const outC = await connect(outsider);
    // a live subscription of the outsider's for every kind-9 event gets none of the group's
    const seen: string[] = [];
    const sub = outC.subscribe([{ kinds: [9] }], { onevent: (e) => void seen.push(e.id) });
    const secret = note(mo, 'family', 'grandma’s recipe');
    await accepted(moC, secret);
    const public9 = mo.sign({ kind: 9, content: 'outside any group' });
    await accepted(moC, public9);
    expect((await fetchEvents(anon, [{ kinds: [9], '#h': ['family'] }])).closed).toBe('auth-required: the group "family" is private; authenticate (NIP-42) as one of its members');
    expect((await fetchEvents(outC, [{ '#h': ['family'] }])).closed).toBe('restricted: the group "family" is private; only its members read it');
    expect((await fetchEvents(outC, [{ kinds: [9] }])).events.map((e) => e.id)).toEqual([public9.id]);
    expect((await fetchEvents(anon, [{ ids: [secret.id] }])).events).toEqual([]);
    expect((await fetchEvents(moC, [{ '#h': ['family'], kinds: [9] }])).events.map((e) => e.id)).toEqual([secret.id]);
    expect((await fetchEvents(adminC, [{ kinds: [9] }])).events.map((e) => e.id).sort()).toEqual([secret.id, public9.id].sort());
    // the member list of a private group is its members' to read; its metadata is public
    expect((await fetchEvents(anon, [{ kinds: [39002], '#d': ['family'] }])).events).toEqual([]);
    expect((await fetchEvents(anon, [{ kinds: [39000], '#d': ['family'] }])).events).toHaveLength(1);
    sub.close();
    expect(seen).toEqual([public9.id]);
  });

  it('state outlives a restart: members stay members, removed members and deleted groups stay out', async () => {
    const [admin, mo, lu] = [new Author(), new Author(), new Author()];
    r = await startGroupsRelay(admin);
    let c = await connect();
    await accepted(c, signed(admin, nip29.generateCreateGroupEventTemplate('bakers')));
    await accepted(c, signed(admin, nip29.generateCreateGroupEventTemplate('doomed')));
    await accepted(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('bakers')));
    await accepted(c, signed(lu, nip29.generateGroupJoinRequestEventTemplate('bakers')));
    await accepted(c, signed(admin, nip29.generateRemoveUserEventTemplate('bakers', lu.pubkey)));
    await accepted(c, signed(admin, nip29.generateDeleteGroupEventTemplate('doomed')));
    await r.groups!.settled();
    const members = await stateOf(c, 39002, 'bakers');
    expect(members.tags.slice(1).map((t) => t[1]).sort()).toEqual([admin.pubkey, mo.pubkey].sort());
    const self = r.groups!.pubkey;

    const { dataDir } = r;
    await r.close();
    c.close();
    clients.length = 0;
    r = await startGroupsRelay(admin, { storage: { dataDir } });
    c = await connect();
    expect(r.groups!.pubkey).toBe(self);
    expect((await fetchEvents(c, [{ kinds: [39002], '#d': ['bakers'] }])).events.map((e) => e.id)).toEqual([members.id]);
    await accepted(c, note(mo, 'bakers', 'still here'));
    expect((await send(c, note(lu, 'bakers'))).message).toBe('blocked: you were removed from this group');
    expect((await send(c, note(admin, 'doomed'))).message).toBe('blocked: the group "doomed" was deleted');
    expect((await send(c, signed(admin, nip29.generateCreateGroupEventTemplate('doomed', 'once more')))).message).toBe('blocked: the group "doomed" was deleted and its id is not reused');
    expect((await fetchEvents(c, [{ kinds: [39000], '#d': ['doomed'] }])).events).toEqual([]);
  });

  it('with groups turned off, group events are refused and a private group stays private', async () => {
    const [admin, mo] = [new Author(), new Author()];
    r = await startGroupsRelay(admin);
    let c = await connect(mo);
    await accepted(c, signed(admin, { ...nip29.generateCreateGroupEventTemplate('family'), tags: [['h', 'family'], ['private']] }));
    await accepted(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('family')));
    const secret = note(mo, 'family', 'kept in the family');
    await accepted(c, secret);
    await r.groups!.settled();
    const { dataDir } = r;
    await r.close();
    c.close();
    clients.length = 0;
    r = await startGroupsRelay(admin, { storage: { dataDir }, groups: { enabled: false, wiki: false } });
    c = await connect();
    expect(await send(c, note(mo, 'family', 'still there?'))).toEqual({ ok: false, message: 'blocked: this relay does not host NIP-29 groups' });
    expect((await fetchEvents(c, [{ ids: [secret.id] }])).events).toEqual([]);
    const doc = (await (await fetch(r.url.replace('ws', 'http'), { headers: { accept: 'application/nostr+json' } })).json()) as { supported_nips: number[] };
    expect(doc.supported_nips).not.toContain(29);
    expect(doc.supported_nips).not.toContain(54);
  });

  it('bad input is refused with a clear prefix', async () => {
    const [admin, mo] = [new Author(), new Author()];
    r = await startGroupsRelay(admin);
    const c = await connect();
    await accepted(c, signed(admin, nip29.generateCreateGroupEventTemplate('book-club')));
    await accepted(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate('book-club')));
    const cases: [ReturnType<Author['sign']>, string][] = [
      [note(mo, 'no-such-group'), 'invalid: there is no group "no-such-group" on this relay'],
      [signed(mo, nip29.generateGroupJoinRequestEventTemplate('no-such-group')), 'invalid: there is no group "no-such-group" on this relay'],
      [mo.sign({ kind: 9021, content: '' }), 'invalid: kind 9021 is a group event and needs an ["h", "<group id>"] tag'],
      [admin.sign({ kind: 9000, tags: [['p', mo.pubkey]] }), 'invalid: kind 9000 is a group event and needs an ["h", "<group id>"] tag'],
      [mo.sign({ kind: 9, tags: [['h', 'book-club'], ['h', 'other']] }), 'invalid: an event belongs to one group: one h tag'],
      [signed(mo, nip29.generateDeleteGroupEventTemplate('book-club')), 'restricted: only an admin of this group may delete it'],
      [signed(mo, nip29.generatePutUserEventTemplate('book-club', mo.pubkey, ['admin'])), 'restricted: only an admin of this group may add members or give roles'],
      [signed(admin, nip29.generatePutUserEventTemplate('book-club', mo.pubkey, ['king'])), 'invalid: unknown role king (roles here: admin, moderator)'],
      [mo.sign({ kind: 39000, tags: [['d', 'book-club'], ['name', 'mine now']] }), 'invalid: group state (kind 39000) is published and signed by this relay only (NIP-29)'],
      [mo.sign({ kind: 39002, tags: [['d', 'book-club'], ['p', mo.pubkey]] }), 'invalid: group state (kind 39002) is published and signed by this relay only (NIP-29)'],
      [mo.sign({ kind: 9, tags: [['h', 'book-club'], ['previous', 'deadbeef']] }), 'invalid: timeline reference deadbeef is not a recent event of this group here'],
      [mo.sign({ kind: 9, tags: [['h', 'book-club']], created_at: now() - 7200 }), 'invalid: too late for this group: events older than 3600 seconds are refused (NIP-29 late publication)'],
      [signed(admin, nip29.generateCreateGroupEventTemplate('bad id!')), 'invalid: a group id is 1 to 64 letters, digits, "-" or "_"'],
      [admin.sign({ kind: 9010, tags: [['h', 'book-club']] }), 'invalid: group kind 9010 is not supported here'],
    ];
    for (const [e, message] of cases) expect(await send(c, e)).toEqual({ ok: false, message });
    // a timeline reference to an event of the group is fine
    const first = note(mo, 'book-club', 'chapter one');
    await accepted(c, first);
    await accepted(c, mo.sign({ kind: 9, content: 'chapter two', tags: [['h', 'book-club'], ['previous', first.id.slice(0, 8)]] }));
    expect(tagsOf(first, 'h')).toEqual([['h', 'book-club']]);
  });
});

async function stateOfRemoval(c: Relay, pubkey: string) {
  const { until } = await import('../helpers/client.ts');
  let found: { pubkey: string } | undefined;
  await until(async () => {
    found = (await fetchEvents(c, [{ kinds: [9001], '#p': [pubkey] }])).events[0];
    return found !== undefined;
  });
  return found!;
}

async function expectGone(c: Relay, id: string) {
  const { until } = await import('../helpers/client.ts');
  await until(async () => (await fetchEvents(c, [{ ids: [id] }])).events.length === 0);
}
