import { describe, expect, it } from 'vitest';
import { Author, now, type RawClient } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';
import type { TestRelay } from '../helpers/relay.ts';

const h = protocolHarness();

async function authAs(c: RawClient, r: TestRelay, who: Author): Promise<void> {
  await c.req('w', { limit: 0 });
  const e = who.sign({ kind: 22242, created_at: now(), tags: [['relay', r.url], ['challenge', c.challenge!]] });
  c.send(['AUTH', e]);
  expect((await c.next((f) => f[0] === 'OK' && f[1] === e.id))[2]).toBe(true);
}

describe('NIP-70 protected events', () => {
  it('accepts ["-"] events only from their authenticated author', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const author = new Author();
    const e = author.sign({ tags: [['-']], content: 'members only' });
    expect(await c.publish(e)).toEqual([false, 'auth-required: this event may only be published by its author']);
    await authAs(c, r, new Author());
    expect(await c.publish(e)).toEqual([false, 'restricted: this event may only be published by its author']);
    await authAs(c, r, author);
    expect(await c.publish(e)).toEqual([true, '']);
  });

  it('refuses reposts that embed a protected event, and all of them when disabled', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const author = new Author();
    const inner = author.sign({ tags: [['-']], content: 'members only' });
    const repost = new Author().sign({ kind: 6, tags: [['e', inner.id]], content: JSON.stringify(inner) });
    expect(await c.publish(repost)).toEqual([false, 'blocked: reposts of protected events are not allowed']);
    const off = await h.relay({ nips: { protectedEvents: false } });
    const c2 = await h.raw(off);
    await authAs(c2, off, author);
    expect((await c2.publish(author.sign({ tags: [['-']] })))[1]).toMatch(/^blocked: /);
  });
});
