import { afterEach, describe, expect, it } from 'vitest';
import { Author, fetchEvents, publish, Relay } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { hamlet } from './helpers.ts';

const relays: TestRelay[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.destroy();
});

// Six CLI processes, each a tsx start-up: generous on a loaded machine (timing is not what is tested).
describe('hamlet moderation', { timeout: 120_000 }, () => {
  it('lists decisions and held events beside a running relay, and releases or bans them', async () => {
    const r = await startTestRelay({
      policies: { write: [{ use: 'keywords', options: { keywords: ['fireworks'], action: 'hold', rule: 'spam' } }, { use: 'keywords', options: { keywords: ['casino'] } }] },
    });
    relays.push(r);
    const c = await Relay.connect(r.url);
    const a = new Author();
    const held = a.sign({ content: 'fireworks tonight at the square' });
    const doubtful = a.sign({ content: 'fireworks again tomorrow' });
    expect((await publish(c, held)).ok).toBe(true);
    expect((await publish(c, doubtful)).ok).toBe(true);
    expect((await publish(c, a.sign({ content: 'casino bonus' }))).ok).toBe(false);
    expect((await fetchEvents(c, [{ ids: [held.id] }])).events).toEqual([]);

    const dir = ['-d', r.dataDir];
    const list = await hamlet(['moderation', 'held', '--json', ...dir]);
    expect(list.code).toBe(0);
    const entries = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; rule?: string; event?: { id: string } });
    expect(entries.map((e) => e.id).sort()).toEqual([held.id, doubtful.id].sort());
    expect(entries.find((e) => e.id === held.id)).toMatchObject({ rule: 'spam', event: { id: held.id } });

    const decisions = await hamlet(['moderation', 'decisions', '--json', '--policy', 'keywords', ...dir]);
    const actions = decisions.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action).sort();
    expect(actions).toEqual(['hold', 'hold', 'reject']);
    expect((await hamlet(['moderation', 'decisions', ...dir])).stdout).toMatch(/keywords/);

    expect((await hamlet(['moderation', 'allow', held.id, '--reason', 'a village event', ...dir])).stdout).toBe(`allowed ${held.id}\n`);
    expect((await hamlet(['moderation', 'ban', doubtful.id, ...dir])).code).toBe(0);
    // The running relay serves the released event to new requests; the banned one is gone.
    expect((await fetchEvents(c, [{ authors: [a.pubkey] }])).events.map((e) => e.id)).toEqual([held.id]);
    expect((await publish(c, doubtful)).ok).toBe(false);
    expect((await hamlet(['moderation', 'allow', 'f'.repeat(64), ...dir])).code).toBe(1);
    c.close();
  });
});
