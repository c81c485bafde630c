import { afterEach, describe, expect, it } from 'vitest';
import { Author, fetchEvents, publish } from '../helpers/client.ts';
import { DECISION_NAMESPACE, outcomes } from '../../moderation/index.ts';
import { inbox, labelsAbout, labelValue, report, startVillage, visible, type TestVillage } from './village.ts';

const RULEBOOK = 'village.hamlet.rulebook';
let v: TestVillage | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

describe('the village moderates itself', () => {
  it('members report → hidden pending review → decision label → author told → appeal → receipt → jury → overturn → visible again', async () => {
    v = await startVillage();
    const mod = v.r.moderation!;
    const author = new Author();
    const post = author.sign({ content: 'buy cheap seeds at my shop, best prices in the valley' });
    expect((await publish(v.client, post)).ok).toBe(true);

    // Two newcomers weigh 0.5 each: under the threshold of 1.5; the third report hides the post.
    const [r1, r2, r3] = v.circles[0]!;
    for (const r of [r1!, r2!]) expect(await publish(v.client, report(r, post, 'spam'))).toEqual({ ok: true, message: '' });
    await mod.settled();
    expect(await visible(v, post.id)).toBe(true);
    expect(await publish(v.client, report(r3!, post, 'spam'))).toEqual({ ok: true, message: '' });
    await mod.settled();
    expect(await visible(v, post.id)).toBe(false);
    const pending = await labelsAbout(v, post.id);
    expect(pending.map((l) => labelValue(l, DECISION_NAMESPACE))).toEqual(['hidden']);
    expect(labelValue(pending[0]!, RULEBOOK)).toBe('spam');

    // A moderator upholds: a signed label names the rule and the rulebook version; the author is told how to appeal.
    mod.decide(post.id, { outcome: 'uphold', by: 'moderator', moderator: 'cli', note: 'advertising' });
    await mod.settled();
    const upheld = (await labelsAbout(v, post.id)).find((l) => labelValue(l, DECISION_NAMESPACE) === 'upheld')!;
    expect(labelValue(upheld, RULEBOOK)).toBe('spam');
    expect(upheld.tags).toContainEqual(['p', author.pubkey]);
    expect(upheld.tags.find((t) => t[0] === 'rulebook')?.[1]).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(upheld.tags.find((t) => t[0] === 'decided-by')?.[1]).toBe('moderator');
    const told = await inbox(v, author);
    expect(told.every((m) => m.from === mod.key.pubkey)).toBe(true);
    const decisionText = told.find((m) => m.text.includes('decided to keep'))!.text;
    expect(decisionText).toContain('rule "spam"');
    expect(decisionText).toContain(`["e", "${post.id}"]`);
    expect(decisionText).toContain('kind 4560');
    // Nobody else reads the author's messages.
    expect(await inbox(v, r1!)).toEqual([]);

    // Only the author appeals; the appeal is answered at once with a signed receipt.
    const appealBy = (who: Author) => who.sign({ kind: 4560, content: 'it is my own garden shop, the village asked for it', tags: [['e', post.id]] });
    expect((await publish(v.client, appealBy(r1!))).message).toBe('restricted: only the author of the event can appeal');
    const appeal = appealBy(author);
    expect(await publish(v.client, appeal)).toEqual({ ok: true, message: '' });
    expect((await publish(v.client, author.sign({ kind: 4560, content: 'again', tags: [['e', post.id]] }))).message).toBe('duplicate: this decision was already appealed');
    await mod.settled();
    const receipts = (await fetchEvents(v.client, [{ kinds: [4561], authors: [mod.key.pubkey], '#e': [appeal.id] }])).events;
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.tags).toContainEqual(['jury', '5']);

    // The jury: five members, neither the author nor a reporter, from both communities.
    const c = mod.getCase(post.id)!;
    const jury = c.appeal!.jury;
    expect(jury).toHaveLength(5);
    expect(jury.filter((j) => [author.pubkey, r1!.pubkey, r2!.pubkey, r3!.pubkey].includes(j))).toEqual([]);
    expect(c.appeal!.communities).toBe(2);
    // (the root member, who follows both circles, may sit too: findIndex -1)
    const circlesOnJury = new Set(jury.map((j) => v!.circles.findIndex((circle) => circle.some((m) => m.pubkey === j))).filter((i) => i >= 0));
    expect(circlesOnJury).toEqual(new Set([0, 1]));
    const summoned = await inbox(v, v.byPubkey.get(jury[0]!)!);
    expect(summoned[0]!.text).toContain('You were drawn for a village jury');
    expect(summoned[0]!.text).toContain(post.content);

    // Jurors vote with signed events; a non-juror and a second vote are refused.
    const vote = (who: Author, outcome: string) => who.sign({ kind: 4562, content: '', tags: [['e', post.id], ['vote', outcome]] });
    const outsider = v.members.find((m) => !jury.includes(m.pubkey))!;
    expect((await publish(v.client, vote(outsider, 'overturn'))).message).toBe('restricted: you are not on the jury of this case');
    const jurors = jury.map((j) => v!.byPubkey.get(j)!);
    expect((await publish(v.client, vote(jurors[0]!, 'overturn'))).ok).toBe(true);
    expect((await publish(v.client, vote(jurors[0]!, 'uphold'))).message).toBe('duplicate: you already voted on this case');
    expect((await publish(v.client, vote(jurors[1]!, 'maybe'))).message).toMatch(/^invalid: a vote needs/);
    expect((await publish(v.client, vote(jurors[1]!, 'uphold'))).ok).toBe(true);
    expect((await publish(v.client, vote(jurors[2]!, 'overturn'))).ok).toBe(true);
    await mod.settled();
    expect(mod.getCase(post.id)!.status).toBe('appealed');
    expect(await visible(v, post.id)).toBe(false);
    expect((await publish(v.client, vote(jurors[3]!, 'overturn'))).ok).toBe(true);
    await mod.settled();

    // Three of five overturn: the post is back, the verdict is a label by the jury, the author is told.
    const final = mod.getCase(post.id)!;
    expect(final.status).toBe('final');
    expect(final.visibility).toBe('visible');
    expect(await visible(v, post.id)).toBe(true);
    const verdict = (await labelsAbout(v, post.id)).find((l) => labelValue(l, DECISION_NAMESPACE) === 'overturned')!;
    expect(verdict.tags.find((t) => t[0] === 'decided-by')?.[1]).toBe('jury');
    expect((await inbox(v, author)).some((m) => m.text.includes('The jury upheld your appeal'))).toBe(true);
    expect((await publish(v.client, vote(jurors[4]!, 'uphold'))).message).toBe('blocked: this case is closed');

    // Every action is in the case's record, and the reporters' track records count the overturn.
    expect(final.actions.map((a) => a.action)).toEqual(expect.arrayContaining(['open', 'report', 'hide', 'label', 'decide', 'notify', 'appeal', 'jury', 'vote', 'verdict']));
    expect(mod.cases.reporter(r1!.pubkey)).toEqual({ upheld: 0, overturned: 1, filed: 1 });
    // The final outcome is in the moderation head's training set (training.test.ts retrains on it).
    expect(outcomes(mod.listCases()).find((o) => o.id === post.id)).toMatchObject({ label: 'keep', rule: 'spam', by: 'jury' });
  });
});
