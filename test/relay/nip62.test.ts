import { describe, expect, it } from 'vitest';
import { Author, now } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();

describe('NIP-62 request to vanish', () => {
  it('deletes everything of the author up to the request, gift wraps to them included, and refuses it back', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const leaver = new Author();
    const friend = new Author();
    const t = now() - 100;
    const note = leaver.sign({ content: 'goodbye soon', created_at: t });
    const profile = leaver.sign({ kind: 0, content: '{}', created_at: t });
    const deletion = leaver.sign({ kind: 5, tags: [['e', 'f'.repeat(64)]], created_at: t });
    const wrap = new Author().sign({ kind: 1059, tags: [['p', leaver.pubkey]], content: 'sealed', created_at: t });
    const friendsNote = friend.sign({ content: 'staying', created_at: t });
    for (const e of [note, profile, deletion, wrap, friendsNote]) expect((await c.publish(e))[0]).toBe(true);

    const vanish = leaver.sign({ kind: 62, tags: [['relay', r.url]], content: 'please forget me', created_at: t + 50 });
    expect(await c.publish(vanish)).toEqual([true, '']);
    for (const e of [note, profile, deletion, wrap]) expect(r.relay.store.has(e.id)).toBe(false);
    expect(r.relay.store.has(friendsNote.id)).toBe(true);
    expect(await c.publish(note)).toEqual([false, 'blocked: this author has vanished from this relay']);
    // Newer events are welcome; a deletion of the vanish request changes nothing.
    expect((await c.publish(leaver.sign({ content: 'back again', created_at: t + 60 })))[0]).toBe(true);
    expect((await c.publish(leaver.sign({ kind: 5, tags: [['e', vanish.id]], created_at: t + 61 })))[0]).toBe(true);
    expect(await c.publish(note)).toEqual([false, 'blocked: this author has vanished from this relay']);
  });

  it('honours ALL_RELAYS and ignores a request naming another relay', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const b = new Author();
    const t = now() - 10;
    const na = a.sign({ created_at: t });
    const nb = b.sign({ created_at: t });
    await c.publish(na);
    await c.publish(nb);
    await c.publish(a.sign({ kind: 62, tags: [['relay', 'wss://another.example']], created_at: t + 1 }));
    expect(r.relay.store.has(na.id)).toBe(true);
    await c.publish(b.sign({ kind: 62, tags: [['relay', 'ALL_RELAYS']], created_at: t + 1 }));
    expect(r.relay.store.has(nb.id)).toBe(false);
  });
});
