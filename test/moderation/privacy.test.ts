import { afterEach, describe, expect, it } from 'vitest';
import { Author, publish } from '../helpers/client.ts';
import { report, startVillage, visible, type TestVillage } from './village.ts';

let v: TestVillage | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

describe('moderation and NIP-62', () => {
  it("a request to vanish erases the author's text from the cases, and a reporter's notes, keeping what was decided", async () => {
    v = await startVillage({ moderation: { threshold: 0.9 } });
    const mod = v.r.moderation!;
    const author = new Author();
    const [r1, r2] = v.circles[0]!;
    const post = author.sign({ content: 'my phone number is 555-0100, call me' });
    await publish(v.client, post);
    await publish(v.client, report(r1!, post, 'other', 'they posted private details'));
    await publish(v.client, report(r2!, post, 'other', 'please hide'));
    mod.decide(post.id, { outcome: 'uphold', by: 'moderator' });
    await mod.settled();

    const vanish = (who: Author, relay: string) => who.sign({ kind: 62, content: '', tags: [['relay', relay]] });
    // A request naming another relay changes nothing here.
    expect((await publish(v.client, vanish(author, 'wss://elsewhere.example'))).ok).toBe(true);
    await mod.settled();
    expect(mod.getCase(post.id)!.event.content).toBe(post.content);

    expect((await publish(v.client, vanish(author, v.r.url))).ok).toBe(true);
    expect((await publish(v.client, vanish(r1!, 'ALL_RELAYS'))).ok).toBe(true);
    await mod.settled();
    const c = mod.getCase(post.id)!;
    expect(c.event).toMatchObject({ id: post.id, pubkey: author.pubkey, kind: 1, content: '', tags: [] });
    expect(c.reports.map((r) => r.note)).toEqual(['', 'please hide']);
    expect(c.decisions.map((d) => d.outcome)).toEqual(['uphold']);
    expect(c.actions.filter((a) => a.action === 'erase').map((a) => a.by).sort()).toEqual([author.pubkey, r1!.pubkey].sort());
    expect(await visible(v, post.id)).toBe(false);
  });
});
