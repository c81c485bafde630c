import { afterEach, describe, expect, it } from 'vitest';
import { Author, publish } from '../helpers/client.ts';
import { hamlet } from '../cli/helpers.ts';
import { inlineEmbedder } from '../../models/index.ts';
import { outcomes, trainModerationHead } from '../../moderation/index.ts';
import { report, startVillage, type TestVillage } from './village.ts';

let v: TestVillage | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

const SPAM = ['cheap pills online, click now', 'win money fast, click this link', 'free crypto giveaway, send your keys', 'click now for cheap loans'];
const FINE = ['the tomatoes in my garden are ripe', 'who wants to swap zucchini seeds', 'the village market opens at nine', 'my compost heap is finally warm'];

describe('the village moderation head, coached by outcomes', () => {
  it('final decisions are the training set; a retrain changes the card; only an approved version scores new cases; rollback', async () => {
    v = await startVillage({ moderation: { threshold: 0.4, appealDays: 0 } });
    const mod = v.r.moderation!;
    const author = new Author();
    const reporter = v.members[0]!;
    const decideOn = async (text: string, outcome: 'uphold' | 'overturn') => {
      const post = author.sign({ content: text });
      await publish(v!.client, post);
      await publish(v!.client, report(reporter, post));
      mod.decide(post.id, { outcome, by: 'moderator', moderator: 'cli' });
      return post;
    };
    for (const t of SPAM.slice(0, 3)) await decideOn(t, 'uphold');
    for (const t of FINE.slice(0, 3)) await decideOn(t, 'overturn');
    await mod.settled();
    const later = Date.now() + 1000;
    expect(outcomes(mod.listCases(), later).map((o) => o.label).sort()).toEqual(['hide', 'hide', 'hide', 'keep', 'keep', 'keep']);

    const embedder = inlineEmbedder();
    const v1 = await trainModerationHead({ cases: mod.listCases(), embedder, registry: mod.heads, now: later });
    expect(v1.version).toMatchObject({ version: 1, status: 'pending', examples: 6 });
    expect(v1.card.counts.perLabel).toEqual({ hide: 3, keep: 3 });
    expect(v1.card.source).toContain('6 final decisions');

    // A new case: no approved version yet, so no model speaks.
    const unscored = author.sign({ content: SPAM[3]! });
    await publish(v.client, unscored);
    await publish(v.client, report(reporter, unscored));
    await mod.settled();
    expect(mod.getCase(unscored.id)!.evidence?.model).toBeUndefined();

    // Its outcome joins the training set; the retrained version's card says so.
    mod.decide(unscored.id, { outcome: 'uphold', by: 'moderator' });
    await decideOn(FINE[3]!, 'overturn');
    await mod.settled();
    const v2 = await trainModerationHead({ cases: mod.listCases(), embedder, registry: mod.heads, now: Date.now() + 1000 });
    expect(v2.version.version).toBe(2);
    expect(v2.card.counts.perLabel).toEqual({ hide: 4, keep: 4 });
    expect(mod.heads.card(1).counts.examples).toBe(6);

    mod.heads.approve(2, 'operator');
    const scored = author.sign({ content: 'click now, cheap pills and free money' });
    await publish(v.client, scored);
    await publish(v.client, report(reporter, scored));
    await mod.settled();
    const evidence = mod.getCase(scored.id)!.evidence!;
    expect(evidence.model).toBe('moderation-v2');
    expect(evidence.score).toBeGreaterThan(0);
    expect(evidence.score).toBeLessThan(1);
    expect(mod.getCase(scored.id)!.actions.some((a) => a.action === 'score' && a.by === 'moderation-v2')).toBe(true);

    // Rollback: no version was approved before v2, so none is used.
    expect(mod.heads.rollback('operator')).toBeNull();
    const after = author.sign({ content: 'cheap pills again, click' });
    await publish(v.client, after);
    await publish(v.client, report(reporter, after));
    await mod.settled();
    expect(mod.getCase(after.id)!.evidence?.model).toBeUndefined();
  });

  it('hamlet train moderation writes a pending version with its card; hamlet moderation model approve and rollback', async () => {
    v = await startVillage({ moderation: { threshold: 0.4, appealDays: 0 } });
    const mod = v.r.moderation!;
    const author = new Author();
    for (const [i, text] of [...SPAM, ...FINE].entries()) {
      const post = author.sign({ content: text });
      await publish(v.client, post);
      await publish(v.client, report(v.members[0]!, post));
      mod.decide(post.id, { outcome: i < SPAM.length ? 'uphold' : 'overturn', by: 'moderator' });
    }
    await mod.settled();
    const dir = ['--data-dir', v.r.dataDir];
    const trained = await hamlet(['train', 'moderation', ...dir]);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/^moderation-v1: logistic over .*, 8 final decisions \(4 hide, 4 keep\)/);
    expect(trained.stdout).toContain('hamlet moderation model approve 1');
    expect(await hamlet(['moderation', 'model', 'approve', '1', '--by', 'alice', '-d', v.r.dataDir])).toMatchObject({ code: 0 });
    expect(mod.heads.read()).toMatchObject({ active: 1, versions: [{ version: 1, status: 'approved', approvedBy: 'alice' }] });
    expect((await hamlet(['moderation', 'model', 'approve', '7', '-d', v.r.dataDir])).code).toBe(2);
    expect((await hamlet(['moderation', 'model', 'rollback', '-d', v.r.dataDir])).stdout).toBe('rolled back: no moderation head is used\n');
    expect(mod.heads.read().active).toBeNull();
  }, 120_000);
});
