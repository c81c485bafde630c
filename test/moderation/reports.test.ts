import { afterEach, describe, expect, it } from 'vitest';
import { Author, publish } from '../helpers/client.ts';
import type { HamletPolicyEngine } from '../../policies/index.ts';
import { DECISION_NAMESPACE, reporterWeight } from '../../moderation/index.ts';
import { labelsAbout, labelValue, report, startVillage, visible, type TestVillage } from './village.ts';

let v: TestVillage | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

describe('reports (NIP-56) become weighed cases', () => {
  it('refuses self-reports, reports on unknown events, reports by outsiders, repeated reports and floods, each with its reason', async () => {
    v = await startVillage({ moderation: { maxReportsPerHour: 3 } });
    const [a, b] = v.circles[0]!;
    const post = a!.sign({ content: 'a post about tomatoes' });
    expect((await publish(v.client, post)).ok).toBe(true);

    expect((await publish(v.client, report(a!, post))).message).toBe('invalid: you cannot report your own event');
    const unknown = new Author().sign({ content: 'never sent to this relay' });
    expect((await publish(v.client, report(b!, unknown))).message).toBe('invalid: the reported event is not on this relay');
    expect((await publish(v.client, report(new Author(), post))).message).toBe('restricted: only members of the village can report here');
    expect((await publish(v.client, report(b!, post))).ok).toBe(true);
    expect((await publish(v.client, report(b!, post, 'spam', 'once more'))).message).toBe('duplicate: you already reported this event');

    // b has filed one report this hour; the limit is three.
    const others = [1, 2, 3].map(() => a!.sign({ content: `another post ${Math.random()}` }));
    for (const o of others) expect((await publish(v.client, o)).ok).toBe(true);
    expect((await publish(v.client, report(b!, others[0]!))).ok).toBe(true);
    expect((await publish(v.client, report(b!, others[1]!))).ok).toBe(true);
    expect((await publish(v.client, report(b!, others[2]!))).message).toBe('rate-limited: at most 3 reports an hour');

    // A report on a person only (no e tag) is an ordinary NIP-56 event: stored, no case.
    expect((await publish(v.client, b!.sign({ kind: 1984, content: '', tags: [['p', a!.pubkey, 'impersonation']] }))).ok).toBe(true);
    const c = v.r.moderation!.getCase(post.id)!;
    expect(c.reports.map((r) => r.reporter)).toEqual([b!.pubkey]);
    expect(c.status).toBe('open');
    expect(c.visibility).toBe('visible');
    // Refusals are in the decision log too.
    await v.r.moderation!.settled();
    const log = (v.r.relay.policies as unknown as HamletPolicyEngine).listDecisions({ policy: 'village-moderation' });
    expect(log.map((d) => d.reason)).toContain('rate-limited: at most 3 reports an hour');
  });

  it('with action "label", weighted reports label the event and leave it visible', async () => {
    v = await startVillage({ moderation: { action: 'label', threshold: 1 } });
    const [a, b, c] = v.circles[1]!;
    const post = a!.sign({ content: 'a heated argument about compost' });
    await publish(v.client, post);
    await publish(v.client, report(b!, post, 'profanity'));
    await publish(v.client, report(c!, post, 'profanity'));
    await v.r.moderation!.settled();
    expect(await visible(v, post.id)).toBe(true);
    const labels = await labelsAbout(v, post.id);
    expect(labels.map((l) => labelValue(l, DECISION_NAMESPACE))).toEqual(['flagged']);
    // profanity cites the rule the config maps it to.
    expect(labelValue(labels[0]!, 'village.hamlet.rulebook')).toBe('abuse');
    expect(v.r.moderation!.getCase(post.id)!.visibility).toBe('flagged');
  });

  it("weighs a reporter by their track record: upheld reports raise it, overturned ones lower it", async () => {
    v = await startVillage({ moderation: { threshold: 100 } });
    const mod = v.r.moderation!;
    const [a, good, bad] = v.circles[0]!;
    const prior = { upheld: 2, overturned: 2 };
    // good reports what is upheld, bad what is overturned.
    for (const [reporter, outcome] of [[good!, 'uphold'], [bad!, 'overturn']] as const) {
      const post = a!.sign({ content: `a post that ${reporter.pubkey.slice(0, 8)} reports` });
      await publish(v.client, post);
      await publish(v.client, report(reporter, post));
      mod.decide(post.id, { outcome, by: 'moderator', moderator: 'cli' });
    }
    await mod.settled();
    expect(mod.cases.reporter(good!.pubkey)).toEqual({ upheld: 1, overturned: 0, filed: 1 });
    expect(mod.cases.reporter(bad!.pubkey)).toEqual({ upheld: 0, overturned: 1, filed: 1 });
    const third = a!.sign({ content: 'a third post from a' });
    const newcomer = v.circles[1]![0]!;
    await publish(v.client, third);
    for (const r of [good!, bad!, newcomer]) await publish(v.client, report(r, third));
    const weights = mod.getCase(third.id)!.reports.map((r) => r.weight);
    expect(weights[0]).toBeCloseTo(reporterWeight({ upheld: 1, overturned: 0, filed: 1 }, prior)); // 3/5
    expect(weights[1]).toBeCloseTo(reporterWeight({ upheld: 0, overturned: 1, filed: 1 }, prior)); // 2/5
    expect(weights[2]).toBeCloseTo(0.5);
    expect(weights[0]).toBeGreaterThan(weights[2]!);
    expect(weights[1]).toBeLessThan(weights[2]!);
  });
});
