import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeEvent, type EventTemplate } from 'nostr-tools';
import { Author, publish, until } from '../helpers/client.ts';
import { report, startVillage, type TestVillage } from '../moderation/village.ts';
import { DEFAULT_RULEBOOK_PATH } from '../../policies/index.ts';
import { writeSampleCard } from './card.ts';

/** The pages' API without a browser: NIP-98 bound to each endpoint, roles, the rulebook's versions, what an author is shown. */
describe('pages API (/api/)', () => {
  let v: TestVillage;
  let base: string;
  let dir: string;
  const admin = new Author();
  const moderator = new Author();
  const outsider = new Author();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hamlet-pages-api-'));
    const rulebook = join(dir, 'rulebook.toml');
    copyFileSync(DEFAULT_RULEBOOK_PATH, rulebook);
    v = await startVillage({ relay: { admins: [admin.pubkey] }, moderation: { threshold: 0.4, moderators: [moderator.pubkey] }, policies: { rulebook } }, 3);
    base = `http://127.0.0.1:${v.r.port}`;
  });

  afterAll(async () => {
    await v?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A NIP-98 token as a browser makes it; `tags` replaces the defaults for the refusal cases. */
  function token(who: Author, path: string, method = 'GET', body = '', tags?: string[][]): string {
    const t: EventTemplate = {
      kind: 27235,
      created_at: Math.floor(Date.now() / 1000),
      content: '',
      tags: tags ?? [['u', `${base}${path}`], ['method', method], ...(method === 'POST' ? [['payload', createHash('sha256').update(body).digest('hex')]] : [])],
    };
    return `Nostr ${Buffer.from(JSON.stringify(finalizeEvent(t, who.sk))).toString('base64')}`;
  }

  async function call(who: Author, path: string, body?: unknown, auth?: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const method = body === undefined ? 'GET' : 'POST';
    const res = await fetch(`${base}${path}`, { method, headers: { Authorization: auth ?? token(who, path, method, text) }, ...(body === undefined ? {} : { body: text }) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('every call is signed for its own endpoint, method and body, once', async () => {
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
    // A token for the health endpoint does not open the case queue.
    const elsewhere = await call(admin, '/api/cases', undefined, token(admin, '/api/health'));
    expect(elsewhere).toEqual({ status: 401, json: { error: 'unauthorized: the auth event\'s "u" tag does not name this relay\'s URL' } });
    const once = token(admin, '/api/health');
    expect((await call(admin, '/api/health', undefined, once)).status).toBe(200);
    expect((await call(admin, '/api/health', undefined, once)).json).toEqual({ error: 'unauthorized: the auth event was already used' });
    // A POST must carry the body's hash.
    const unbound = token(moderator, '/api/cases/decide', 'POST', '', [['u', `${base}/api/cases/decide`], ['method', 'POST']]);
    expect((await call(moderator, '/api/cases/decide', { id: 'x' }, unbound)).json.error).toMatch(/payload/);
    expect((await call(admin, '/api/nothing')).status).toBe(404);
  });

  it('roles: a moderator works the queue but cannot publish a rulebook; anyone signed sees only their own', async () => {
    expect((await call(moderator, '/api/cases?status=open')).status).toBe(200);
    expect(await call(moderator, '/api/rulebook', { text: '' })).toEqual({ status: 403, json: { error: 'restricted: only an admin of this relay (relay.admins) may do this' } });
    expect((await call(outsider, '/api/cases')).status).toBe(403);
    expect((await call(outsider, '/api/decisions')).status).toBe(403);
    const me = await call(outsider, '/api/me');
    expect(me.status).toBe(200);
    expect(me.json.roles).toEqual(['signed']);
    expect((await call(v.members[0]!, '/api/me')).json.roles).toEqual(['signed', 'member']);
    expect((await call(admin, '/api/me')).json.roles).toEqual(['signed', 'admin', 'moderator', 'member']);
    expect((await call(outsider, '/api/me/cases')).json).toEqual({ cases: [] });
  });

  it('a moderator decides; the author sees the decision but not who reported', async () => {
    const [author, reporter] = v.members;
    const post = author!.sign({ content: 'a loud advert for the village' });
    await publish(v.client, post);
    await publish(v.client, report(reporter!, post, 'spam', 'advertising'));
    await until(() => v.r.moderation!.getCase(post.id)?.status === 'open');
    const queue = await call(moderator, '/api/cases?status=open');
    expect(queue.json.cases).toEqual([expect.objectContaining({ id: post.id, rule: 'spam', reports: 1, reportTypes: ['spam'], status: 'open', visibility: 'hidden' })]);
    expect((await call(moderator, '/api/cases?status=closed')).json.error).toMatch(/^invalid: status must be among/);
    expect((await call(moderator, '/api/cases/decide', { id: post.id, outcome: 'maybe' })).status).toBe(400);
    const decided = await call(moderator, '/api/cases/decide', { id: post.id, outcome: 'uphold', note: 'adverts go to the market board' });
    expect(decided).toEqual({ status: 200, json: { status: 'decided', visibility: 'hidden' } });
    expect(v.r.moderation!.getCase(post.id)!.decisions.at(-1)).toMatchObject({ by: 'moderator', moderator: moderator.pubkey });
    // Deciding twice is refused with the moderation's reason.
    expect((await call(moderator, '/api/cases/decide', { id: post.id, outcome: 'overturn' })).status).toBe(409);
    const mine = await call(author!, '/api/me/cases');
    expect(mine.json.cases).toEqual([expect.objectContaining({ id: post.id, status: 'decided', reports: [expect.objectContaining({ type: 'spam' })] })]);
    expect(JSON.stringify(mine.json)).not.toContain(reporter!.pubkey);
    const log = await call(moderator, `/api/decisions?q=${encodeURIComponent('market board')}`);
    expect(log.json.decisions).toEqual([expect.objectContaining({ action: 'uphold', eventId: post.id })]);
  });

  it('the rulebook: checked before it is written, versions kept, a diff between two, no lost update', async () => {
    const before = await call(moderator, '/api/rulebook');
    expect(before.json.editable).toBe(true);
    const text = String(before.json.text);
    expect((await call(admin, '/api/rulebook', { text: '[[rule]]\nid = "Bad Id"\ntitle = "x"\n' })).json.error).toMatch(/^invalid: the new rulebook: rule\.0\.id: ids are lower-case words/);
    expect((await call(admin, '/api/rulebook', { text: text + '\n[[rule]]\nid = "late"\ntitle = "Late"\n', base: 'sha256:0000' })).status).toBe(409);
    const published = await call(admin, '/api/rulebook', { text: text + '\n[[rule]]\nid = "quiet-hours"\ntitle = "Quiet hours"\ndescription = "No bells after ten."\n', note: 'quiet hours', base: before.json.version });
    expect(published.status).toBe(200);
    const after = await call(moderator, '/api/rulebook');
    const versions = after.json.versions as { version: string; by: string; note?: string }[];
    expect(versions.map((x) => x.version)).toEqual([published.json.version, before.json.version]);
    expect(versions[0]).toMatchObject({ by: admin.pubkey, note: 'quiet hours' });
    const diff = await call(moderator, `/api/rulebook/diff?from=${before.json.version}&to=${published.json.version}`);
    const added = (diff.json.parts as { added: boolean; value: string }[]).filter((p) => p.added).map((p) => p.value).join('');
    expect(added).toContain('id = "quiet-hours"');
    // The policies read the new file: decisions cite the new version.
    await until(() => (v.r.relay.policies as unknown as { rulebook(): { get(id: string): unknown } }).rulebook().get('quiet-hours') !== undefined);
  });

  it('health, model cards and insights answer for a moderator', async () => {
    const health = await call(moderator, '/api/health');
    expect(health.json).toMatchObject({ connections: expect.any(Number), verifier: expect.any(String), policies: expect.objectContaining({ write: expect.any(Array) }) });
    expect((await call(moderator, '/api/models')).json).toMatchObject({ listing: { active: expect.any(Array) }, cards: [] });
    const card = writeSampleCard(v.r.relay.config.models.dir);
    expect((await call(moderator, '/api/models')).json.cards).toEqual([{ ...card, file: 'moderation-v1.card.json' }]);
    await publish(v.client, v.members[2]!.sign({ content: 'the well is fixed', tags: [['t', 'village']] }));
    const insights = await call(moderator, '/api/insights?days=7');
    const topics = insights.json.topics as { topic: string; counts: number[] }[];
    expect(topics.map((t) => [t.topic, t.counts.length, t.counts.reduce((a, b) => a + b, 0)])).toEqual([['village', 7, 1]]);
    expect((insights.json.posts as number[]).length).toBe(7);
    expect((insights.json.posts as number[]).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect((await call(moderator, '/api/insights?days=0')).status).toBe(400);
  });
});
