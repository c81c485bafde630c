import { afterEach, describe, expect, it } from 'vitest';
import { Author, fetchEvents, publish } from '../helpers/client.ts';
import type { HamletPolicyEngine } from '../../policies/index.ts';
import { DecisionRefused } from '../../moderation/index.ts';
import { inbox, moderationAt, report, startVillage, visible, type TestVillage } from './village.ts';

let v: TestVillage | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

const HOUR = 3_600_000;

describe('appeals and juries', () => {
  it('an event a policy held opens a case; overturning it releases the event through the hold queue', async () => {
    v = await startVillage({ policies: { write: [{ use: 'keywords', options: { keywords: ['fireworks'], action: 'hold', rule: 'content' } }] } });
    const author = v.members[0]!;
    const post = author.sign({ content: 'fireworks at the square tonight' });
    expect(await publish(v.client, post)).toEqual({ ok: true, message: 'info: blocked: contains "fireworks"' });
    const mod = v.r.moderation!;
    const c = mod.getCase(post.id)!;
    expect(c).toMatchObject({ origin: 'policy', rule: 'content', status: 'open', visibility: 'hidden' });
    const engine = v.r.relay.policies as unknown as HamletPolicyEngine;
    expect(engine.listHeld().map((h) => h.id)).toEqual([post.id]);

    mod.decide(post.id, { outcome: 'overturn', by: 'moderator', moderator: 'alice', note: 'a village event' });
    await mod.settled();
    expect(await visible(v, post.id)).toBe(true);
    expect(engine.listHeld()).toEqual([]);
    expect(mod.getCase(post.id)!.status).toBe('final');
    // The moderator's decision and the release are both in the decision log.
    const log = engine.listDecisions({ eventId: post.id }).map((d) => `${d.action}/${d.policy}`);
    expect(log).toEqual(expect.arrayContaining(['hold/keywords', 'allow/moderator', 'overturn/village-moderator']));
    expect((await inbox(v, author)).some((m) => m.text.includes('restored your event'))).toBe(true);
  });

  it('refuses appeals out of turn, and after the window', async () => {
    v = await startVillage({ moderation: { threshold: 0.4, appealDays: 1 } });
    const author = new Author();
    const post = author.sign({ content: 'something the village did not like' });
    await publish(v.client, post);
    const appeal = () => author.sign({ kind: 4560, content: 'please', tags: [['e', post.id]] });
    expect((await publish(v.client, appeal())).message).toBe('invalid: there is no moderation case about this event');
    await publish(v.client, report(v.members[0]!, post));
    expect((await publish(v.client, appeal())).message).toBe('invalid: this case is still under review; appeal once a moderator has decided');
    expect((await publish(v.client, author.sign({ kind: 4560, content: 'no case named' }))).message).toMatch(/^invalid: an appeal names its case/);

    v.r.moderation!.decide(post.id, { outcome: 'uphold', by: 'moderator', moderator: 'cli' });
    await v.r.moderation!.settled();
    // Two days later, as another process sees it: the one-day window has closed.
    const later = moderationAt(v, () => Date.now() + 48 * HOUR);
    const refused = later.screen({ event: appeal(), conn: { id: 0, ip: '127.0.0.1', authed: new Set() }, source: 'client', receivedAt: Date.now() }, { action: 'accept' });
    expect(refused).toMatchObject({ action: 'reject', reason: expect.stringMatching(/^blocked: the appeal window closed on /) });
    await later.close();
  });

  it('while the jury sits a moderator cannot decide; once its time is over the admins are told and a moderator decides', async () => {
    const admin = new Author();
    v = await startVillage({ moderation: { threshold: 0.4, juryHours: 24 }, relay: { admins: [admin.pubkey] } });
    const mod = v.r.moderation!;
    const author = new Author();
    const post = author.sign({ content: 'a contested post about hedgehogs' });
    await publish(v.client, post);
    await publish(v.client, report(v.members[0]!, post, 'other'));
    mod.decide(post.id, { outcome: 'uphold', by: 'moderator', moderator: 'cli' });
    expect(() => mod.decide(post.id, { outcome: 'overturn', by: 'moderator' })).toThrow(DecisionRefused);
    expect((await publish(v.client, author.sign({ kind: 4560, content: 'hedgehogs are on topic', tags: [['e', post.id]] }))).ok).toBe(true);
    await mod.settled();
    const jury = mod.getCase(post.id)!.appeal!.jury;
    expect(jury.length).toBe(5);
    // One juror votes; no majority.
    expect((await publish(v.client, v.byPubkey.get(jury[0]!)!.sign({ kind: 4562, content: '', tags: [['e', post.id], ['vote', 'overturn']] }))).ok).toBe(true);
    expect(() => mod.decide(post.id, { outcome: 'overturn', by: 'moderator' })).toThrow(/a jury decides this appeal until/);

    const later = moderationAt(v, () => Date.now() + 25 * HOUR);
    const late = later.screen(
      { event: v.byPubkey.get(jury[1]!)!.sign({ kind: 4562, content: '', tags: [['e', post.id], ['vote', 'uphold']] }), conn: { id: 0, ip: '127.0.0.1', authed: new Set() }, source: 'client', receivedAt: Date.now() },
      { action: 'accept' },
    );
    expect(late).toEqual({ action: 'reject', reason: "blocked: the jury's time is over; a moderator decides" });
    // The relay's admins are told once that the appeal waits for them.
    expect(mod.sweepJuries()).toBe(0);
    expect(later.sweepJuries()).toBe(1);
    expect(later.sweepJuries()).toBe(0);
    await later.settled();
    const told = await inbox(v, admin);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`Case ${post.id}: the jury's time is over with 1 of 5 votes and no majority`);
    const c = later.decide(post.id, { outcome: 'overturn', by: 'moderator', moderator: 'bob', note: 'the jury did not decide in time' });
    await later.close();
    expect(c.status).toBe('final');
    expect(await visible(v, post.id)).toBe(true);
    expect((await inbox(v, author)).some((m) => m.text.startsWith('A moderator (the jury did not decide in time) upheld your appeal'))).toBe(true);
  });

  it('without configured members no jury can be drawn: the receipt says a moderator decides', async () => {
    v = await startVillage({ moderation: { threshold: 0.4 }, policies: { members: [] } });
    const mod = v.r.moderation!;
    const author = new Author();
    const post = author.sign({ content: 'a post in a village without members' });
    await publish(v.client, post);
    await publish(v.client, report(new Author(), post));
    mod.decide(post.id, { outcome: 'uphold', by: 'moderator' });
    expect((await publish(v.client, author.sign({ kind: 4560, content: 'why?', tags: [['e', post.id]] }))).ok).toBe(true);
    await mod.settled();
    expect(mod.getCase(post.id)!.appeal!.jury).toEqual([]);
    const receipt = (await fetchEvents(v.client, [{ kinds: [4561], '#p': [author.pubkey] }])).events[0]!;
    expect(receipt.content).toContain('a moderator (no jury could be drawn)');
    expect(mod.decide(post.id, { outcome: 'uphold', by: 'moderator' }).status).toBe('final');
  });
});
