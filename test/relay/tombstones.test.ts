import { afterEach, describe, expect, it } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, RawClient } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();

/** A gift wrap as NIP-59 makes it: signed by a throwaway key, addressed to its recipient. */
const wrapFor = (recipient: Author, kind = 1059, content = 'sealed'): NostrEvent =>
  new Author().sign({ kind, tags: [['p', recipient.pubkey]], content });

describe('deletion tombstones for gift wraps (NIP-09 by the recipient)', () => {
  const restarted: TestRelay[] = [];
  afterEach(async () => {
    for (const r of restarted.splice(0)) await r.destroy();
  });

  it('refuses a gift wrap its recipient deleted when it is sent again, also after a restart', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const recipient = new Author();
    const wrap = wrapFor(recipient);
    expect(await c.publish(wrap)).toEqual([true, '']);
    expect(await c.publish(recipient.sign({ kind: 5, tags: [['e', wrap.id]] }))).toEqual([true, '']);
    expect(r.relay.store.has(wrap.id)).toBe(false);
    expect(await c.publish(wrap)).toEqual([false, 'blocked: this gift wrap was deleted by its recipient']);
    expect(r.relay.store.has(wrap.id)).toBe(false);
    // Another wrap to the same recipient is a different event and comes through.
    expect(await c.publish(wrapFor(recipient))).toEqual([true, '']);

    const dataDir = r.dataDir;
    await r.close();
    const again = await startTestRelay({ storage: { dataDir } }, { policies: async () => acceptAll });
    restarted.push(again);
    const c2 = await RawClient.open(again.url);
    try {
      expect(await c2.publish(wrap)).toEqual([false, 'blocked: this gift wrap was deleted by its recipient']);
    } finally {
      c2.close();
    }
  });

  it('refuses a wrap whose recipient deleted it before it arrived, but not one addressed to someone else', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const recipient = new Author();
    const early = wrapFor(recipient);
    expect(await c.publish(recipient.sign({ kind: 5, tags: [['e', early.id]] }))).toEqual([true, '']);
    expect(await c.publish(early)).toEqual([false, 'blocked: this gift wrap was deleted by its recipient']);

    // A stranger naming a wrap for someone else does not stop it.
    const other = wrapFor(new Author());
    expect(await c.publish(new Author().sign({ kind: 5, tags: [['e', other.id]] }))).toEqual([true, '']);
    expect(await c.publish(other)).toEqual([true, '']);
  });

  it('refuses an ephemeral gift wrap (21059) its recipient deleted, and does not deliver it again', async () => {
    const r = await h.relay();
    const sender = await h.raw(r);
    const listener = await h.raw(r);
    const recipient = new Author();
    listener.send(['REQ', 'live', { kinds: [21059], '#p': [recipient.pubkey] }]);
    await listener.next((f) => f[0] === 'EOSE' && f[1] === 'live');

    const wrap = wrapFor(recipient, 21059, 'first');
    expect(await sender.publish(wrap)).toEqual([true, '']);
    expect((await listener.next((f) => f[0] === 'EVENT' && f[1] === 'live'))[2]).toEqual(wrap);

    expect(await sender.publish(recipient.sign({ kind: 5, tags: [['e', wrap.id]] }))).toEqual([true, '']);
    expect(await sender.publish(wrap)).toEqual([false, 'blocked: this gift wrap was deleted by its recipient']);

    // The next delivery the listener sees is a new wrap, not the deleted one again.
    const next = wrapFor(recipient, 21059, 'second');
    expect(await sender.publish(next)).toEqual([true, '']);
    expect((await listener.next((f) => f[0] === 'EVENT' && f[1] === 'live'))[2]).toEqual(next);
  });

  it('still refuses an author-deleted event with the author message', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const note = a.sign({ content: 'gone' });
    await c.publish(note);
    expect((await c.publish(a.sign({ kind: 5, tags: [['e', note.id]] })))[0]).toBe(true);
    expect(await c.publish(note)).toEqual([false, 'blocked: this event was deleted by its author']);
  });
});
