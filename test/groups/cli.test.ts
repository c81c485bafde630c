import { rmSync } from 'node:fs';
import * as nip29 from 'nostr-tools/nip29';
import { afterEach, describe, expect, it } from 'vitest';
import { Author } from '../helpers/client.ts';
import { hamlet } from '../cli/helpers.ts';
import { accepted, clientOf, signed, startGroupsRelay } from './village.ts';

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('hamlet groups list | show | digest', () => {
  it("lists and shows groups, drafts a consenting group's weekly digest, refuses the others", { timeout: 60_000 }, async () => {
    const [admin, mo, lu] = [new Author(), new Author(), new Author()];
    const r = await startGroupsRelay(admin);
    dataDir = r.dataDir;
    const c = await clientOf(r);
    for (const id of ['allotment', 'quiet']) await accepted(c, signed(admin, nip29.generateCreateGroupEventTemplate(id)));
    await accepted(c, signed(admin, { kind: 9002, created_at: Math.floor(Date.now() / 1000), content: '', tags: [['h', 'allotment'], ['name', 'Allotment'], ['ai', 'allow']] }));
    for (const who of [mo, lu]) await accepted(c, signed(who, nip29.generateGroupJoinRequestEventTemplate('allotment')));
    const h = ['h', 'allotment'];
    const busy = mo.sign({ kind: 11, content: 'Our leeks are rotting at the base. The soil stays wet for days after rain. Should we raise the beds?', tags: [h, ['title', 'Leeks']] });
    const calm = lu.sign({ kind: 11, content: 'The shed key is under the blue pot now.', tags: [h] });
    await accepted(c, busy);
    await accepted(c, calm);
    await accepted(c, lu.sign({ kind: 1111, content: 'Raised beds drain much better. We did it last year and the leeks loved it.', tags: [h, ['E', busy.id], ['e', busy.id]] }));
    await accepted(c, admin.sign({ kind: 1111, content: 'Add sand and compost to the beds. Wet soil rots roots.', tags: [h, ['E', busy.id], ['e', busy.id]] }));
    await accepted(c, admin.sign({ kind: 7, content: '+', tags: [h, ['e', calm.id]] }));
    c.close();
    await r.close();
    const d = ['-d', dataDir];

    const list = await hamlet(['groups', 'list', ...d]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/allotment\s+Allotment\s+public, open, ai allow\s+3/);
    expect(list.stdout).toMatch(/quiet\s+quiet\s+public, open, ai deny\s+1/);
    const show = await hamlet(['groups', 'show', 'allotment', ...d]);
    expect(show.stdout).toContain(`${admin.pubkey}  admin`);

    const digest = await hamlet(['groups', 'digest', 'allotment', '--json', ...d]);
    expect(digest.code, digest.stderr).toBe(0);
    const draft = JSON.parse(digest.stdout) as { threads: { id: string; replies: number; reactions: number; sentences: string[] }[] };
    expect(draft.threads.map((t) => [t.id, t.replies, t.reactions])).toEqual([[busy.id, 2, 0], [calm.id, 0, 1]]);
    expect(draft.threads[0]!.sentences).toHaveLength(2);

    expect(await hamlet(['groups', 'digest', 'quiet', ...d])).toMatchObject({ code: 1, stderr: expect.stringContaining("has not let the village's models read it") });
  });
});
