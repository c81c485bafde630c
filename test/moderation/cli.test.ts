import { afterEach, describe, expect, it } from 'vitest';
import { Author, publish } from '../helpers/client.ts';
import { hamlet } from '../cli/helpers.ts';
import type { Case, ModerationStats } from '../../moderation/index.ts';
import { inbox, labelsAbout, labelValue, report, startVillage, visible, type TestVillage } from './village.ts';

let v: TestVillage | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

describe('hamlet moderation cases | case | decide | stats', () => {
  it('a moderator works the case queue beside the running relay', async () => {
    v = await startVillage({ moderation: { threshold: 0.9 } });
    const author = new Author();
    const post = author.sign({ content: 'win a free tractor, click the link' });
    const fine = author.sign({ content: 'my tomatoes are red this year' });
    await publish(v.client, post);
    await publish(v.client, fine);
    for (const r of v.circles[0]!.slice(0, 2)) await publish(v.client, report(r, post, 'spam'));
    await publish(v.client, report(v.circles[1]![0]!, fine, 'other'));
    await v.r.moderation!.settled();
    const dir = ['-d', v.r.dataDir];

    const open = await hamlet(['moderation', 'cases', '--status', 'open', '--json', ...dir]);
    expect(open.code).toBe(0);
    const cases = open.stdout.trim().split('\n').map((l) => JSON.parse(l) as Case);
    expect(cases.map((c) => c.id).sort()).toEqual([post.id, fine.id].sort());
    expect(cases.find((c) => c.id === post.id)).toMatchObject({ visibility: 'hidden', rule: 'spam' });
    expect((await hamlet(['moderation', 'cases', ...dir])).stdout).toMatch(/open\s+hidden/);

    expect(await hamlet(['moderation', 'decide', post.id, 'uphold', '--note', 'advertising', '--moderator', 'alice', ...dir])).toMatchObject({ code: 0, stdout: `upheld ${post.id}: the case is decided, the event hidden\n` });
    expect(await hamlet(['moderation', 'decide', fine.id, 'overturn', ...dir])).toMatchObject({ code: 0, stdout: `overturned ${fine.id}: the case is final, the event visible\n` });
    const again = await hamlet(['moderation', 'decide', post.id, 'overturn', ...dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('this case is decided; only an appeal by its author reopens it');

    // What the CLI decided, the running relay serves: the label, the author's message, the visibility.
    const upheld = (await labelsAbout(v, post.id)).find((l) => labelValue(l, 'village.hamlet.decision') === 'upheld')!;
    expect(upheld.content).toContain('advertising');
    expect(await visible(v, post.id)).toBe(false);
    expect(await visible(v, fine.id)).toBe(true);
    expect((await inbox(v, author)).filter((m) => m.from === v!.r.moderation!.key.pubkey)).toHaveLength(3);

    const one = await hamlet(['moderation', 'case', post.id, ...dir]);
    expect(one.stdout).toMatch(/decide .*uphold under spam: advertising/);
    const stats = JSON.parse((await hamlet(['moderation', 'stats', '--json', ...dir])).stdout) as ModerationStats;
    expect(stats).toMatchObject({ cases: 2, reports: 3, provisional: { hidden: 1, flagged: 0 }, moderatorDecisions: { upheld: 1, overturned: 1 }, hiddenNow: 1 });
    expect(stats.reporters).toMatchObject({ count: 3, withOutcomes: 3 });
    expect((await hamlet(['moderation', 'stats', ...dir])).stdout).toMatch(/moderator decisions\s+1 upheld, 1 overturned/);
    // The decision log has the moderator's decisions, by name.
    const log = await hamlet(['moderation', 'decisions', '--json', '--event', post.id, ...dir]);
    expect(log.stdout).toContain('"moderator":"alice"');
  }, 180_000);
});
