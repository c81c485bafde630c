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

  it('refuses protected events in any repost form: padded or escaped JSON, embedded deeper, or named by e or a tag', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const author = new Author();
    const reposter = new Author();
    const inner = author.sign({ tags: [['-']], content: 'members only' });
    const json = JSON.stringify(inner);
    const forms: Record<string, string> = {
      'a leading space': ` ${json}`,
      'JSON whitespace': `\n\t\r ${json}`,
      'whitespace in the tag': json.replace('["-"]', '[ "-" ]'),
      'an escaped dash': json.replace('["-"]', '["\\u002d"]'),
      'inside another object': JSON.stringify({ note: 'look', event: inner }),
      'after some text': `look at this: ${json}`,
    };
    for (const [why, content] of Object.entries(forms)) {
      for (const kind of [6, 16]) {
        const repost = reposter.sign({ kind, tags: [['e', inner.id]], content });
        expect(await c.publish(repost), `${why}, kind ${kind}`).toEqual([false, 'blocked: reposts of protected events are not allowed']);
      }
    }
    // Stored here (its author published it after AUTH), it cannot be reposted by reference either.
    await authAs(c, r, author);
    expect(await c.publish(inner)).toEqual([true, '']);
    const addressable = author.sign({ kind: 30023, tags: [['d', 'essay'], ['-']], content: 'members-only essay' });
    expect(await c.publish(addressable)).toEqual([true, '']);
    const other = await h.raw(r);
    for (const repost of [
      reposter.sign({ kind: 6, tags: [['e', inner.id], ['p', author.pubkey]], content: '' }),
      reposter.sign({ kind: 16, tags: [['e', inner.id], ['k', '1']], content: '' }),
      reposter.sign({ kind: 16, tags: [['a', `30023:${author.pubkey}:essay`], ['k', '30023']], content: '' }),
    ]) {
      expect(await other.publish(repost)).toEqual([false, 'blocked: reposts of protected events are not allowed']);
    }
    // Reposts of ordinary events, and a note that merely quotes the tag as text, pass.
    const plain = author.sign({ content: 'for everyone' });
    expect(await other.publish(plain)).toEqual([true, '']);
    expect(await other.publish(reposter.sign({ kind: 6, tags: [['e', plain.id]], content: ` ${JSON.stringify(plain)}` }))).toEqual([true, '']);
    const mentions = author.sign({ content: 'NIP-70 uses the tag ["-"]' });
    expect(await other.publish(reposter.sign({ kind: 6, tags: [['e', mentions.id]], content: JSON.stringify(mentions) }))).toEqual([true, '']);
  });
});
