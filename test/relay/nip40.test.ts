import { describe, expect, it } from 'vitest';
import { Author, now, until } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();

describe('NIP-40 expiration', () => {
  it('refuses events that have already expired', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    expect(await c.publish(new Author().sign({ tags: [['expiration', String(now() - 1)]] }))).toEqual([false, 'invalid: event has expired']);
  });

  it('stops serving an event once it expires, and the sweeper purges it from disk', async () => {
    const r = await h.relay({ storage: { expirySweepSeconds: 1 } });
    const c = await h.raw(r);
    const e = new Author().sign({ tags: [['expiration', String(now() + 2)]] });
    expect(await c.publish(e)).toEqual([true, '']);
    expect((await c.req('a', { ids: [e.id] })).events).toEqual([e]);
    await until(async () => (await c.req('b', { ids: [e.id] })).events.length === 0, 6000);
    await until(() => !r.relay.store.has(e.id), 4000);
  });

  it('ignores a malformed expiration tag', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const e = new Author().sign({ tags: [['expiration', 'soon']] });
    expect(await c.publish(e)).toEqual([true, '']);
    expect((await c.req('a', { ids: [e.id] })).events).toEqual([e]);
  });

  it('still fans out an ephemeral event that has not expired', async () => {
    const r = await h.relay();
    const listener = await h.raw(r);
    await listener.req('l', { kinds: [20002] });
    const c = await h.raw(r);
    const e = new Author().sign({ kind: 20002, tags: [['expiration', String(now() + 60)]] });
    expect((await c.publish(e))[0]).toBe(true);
    expect((await listener.next((f) => f[0] === 'EVENT'))[2]).toEqual(e);
  });
});
