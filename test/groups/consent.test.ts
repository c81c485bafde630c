import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nip29 from 'nostr-tools/nip29';
import { describe, expect, it } from 'vitest';
import { Author, now } from '../helpers/client.ts';
import { consent } from '../commons/village.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { accepted, clientOf, relayPerTest, signed, startGroupsRelay } from './village.ts';

const t = relayPerTest();

const exportedIds = async (relay: TestRelay): Promise<string[]> => {
  const result = await relay.commons!.exportNow('train-ai');
  return readFileSync(join(result.dir, 'events.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id).sort();
};

const setAi = (admin: Author, id: string, ai: 'allow' | 'deny', extra: string[][] = []) =>
  signed(admin, { ...nip29.generateEditGroupMetadataEventTemplate({ relay: '', reference: { id, host: '' }, metadata: { id, pubkey: '', name: id } }), tags: [['h', id], ['name', id], ['ai', ai], ...extra] });

describe("groups and the village's AI: consent by the group's admins", () => {
  it('models read, and datasets hold, only groups that opted in; a private group never enters a dataset; the switch works both ways', async () => {
    const [admin, mo] = [new Author(), new Author()];
    const r = (t.r = await startGroupsRelay(admin));
    const c = (t.c = await clientOf(r));
    await accepted(c, consent(mo, { 'train-ai': 'y' }, undefined, now() - 10));
    for (const id of ['allotment', 'quiet', 'family']) {
      await accepted(c, signed(admin, nip29.generateCreateGroupEventTemplate(id)));
      await accepted(c, signed(mo, nip29.generateGroupJoinRequestEventTemplate(id)));
    }
    // new groups are opt-in (groups.aiDefault = false)
    await accepted(c, setAi(admin, 'allotment', 'allow'));
    await accepted(c, setAi(admin, 'family', 'allow', [['private']]));
    expect((await c.publish(signed(mo, { ...setAi(mo, 'quiet', 'allow') })).catch((e: Error) => e.message))).toBe('restricted: only an admin of this group may edit its metadata');
    const [plain, inAllotment, inQuiet, inFamily] = [
      mo.sign({ content: 'outside any group' }),
      mo.sign({ content: 'leeks', tags: [['h', 'allotment']] }),
      mo.sign({ content: 'hush', tags: [['h', 'quiet']] }),
      mo.sign({ content: 'private', tags: [['h', 'family']] }),
    ];
    for (const e of [plain, inAllotment, inQuiet, inFamily]) await accepted(c, e);

    const may = (e: typeof plain) => r.services.modelMayRead(e);
    expect([plain, inAllotment, inQuiet, inFamily].map(may)).toEqual([true, true, false, true]);
    expect(may(mo.sign({ content: 'x', tags: [['h', 'not-hosted-here']] }))).toBe(false);
    expect(await exportedIds(r)).toEqual([plain.id, inAllotment.id].sort());

    // the admins change their minds: allotment opts out, quiet opts in
    await accepted(c, setAi(admin, 'allotment', 'deny'));
    await accepted(c, setAi(admin, 'quiet', 'allow'));
    expect([plain, inAllotment, inQuiet].map(may)).toEqual([true, false, true]);
    expect(await exportedIds(r)).toEqual([plain.id, inQuiet.id].sort());
    // a client that does not know the ai tag (nostr-tools' full metadata edit) leaves the consent as it is
    await accepted(c, signed(admin, nip29.generateEditGroupMetadataEventTemplate({ relay: '', reference: { id: 'quiet', host: '' }, metadata: { id: 'quiet', pubkey: '', name: 'Quiet' } })));
    expect(may(inQuiet)).toBe(true);
  });
});
