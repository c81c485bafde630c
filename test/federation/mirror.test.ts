import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Author, fetchEvents, now, publish, Relay, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { freePort } from '../cluster/redisServer.ts';
import { exempt } from '../cluster/nodes.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { readMirrorStatus } from '../../federation/index.ts';

const clients: Relay[] = [];
const relays: TestRelay[] = [];
async function connect(r: TestRelay): Promise<Relay> {
  const c = await Relay.connect(r.url);
  clients.push(c);
  return c;
}
async function relay(overrides: Record<string, Record<string, unknown>> = {}): Promise<TestRelay> {
  const r = await startTestRelay({ policies: exempt, ...overrides });
  relays.push(r);
  return r;
}
const mirrorTo = (url: string, extra: Record<string, unknown> = {}) => ({
  streams: { reconnectMinSeconds: 0.2, reconnectMaxSeconds: 1, mirrors: [{ name: 'outbox', relays: [url], direction: 'both', filter: { kinds: [1, 4] }, ...extra }] },
});
const ids = (events: NostrEvent[]) => events.map((e) => e.id).sort();

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  for (const r of relays) await r.destroy().catch(() => undefined);
});

describe('mirroring with other relays (streams)', () => {
  it('down and up, live: what matches the filter travels both ways; DMs and other kinds stay home', async () => {
    const other = await relay();
    const village = await relay(mirrorTo(other.url));
    const link = village.mirrors!.links[0]!;
    await until(() => link.status.connected, 5000);
    const alice = new Author();
    const there = alice.sign({ content: 'posted elsewhere' });
    expect((await publish(await connect(other), there)).ok).toBe(true);
    await until(() => village.services.getById(there.id) !== undefined, 5000);

    const onVillage = await connect(village);
    const note = alice.sign({ content: 'posted in the village' });
    const reaction = alice.sign({ kind: 7, content: '+' });
    const dm = alice.sign({ kind: 4, content: 'secret', tags: [['p', new Author().pubkey]] });
    for (const e of [note, reaction, dm]) expect((await publish(onVillage, e)).ok).toBe(true);
    await until(() => other.services.getById(note.id) !== undefined, 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(other.services.getById(reaction.id)).toBeUndefined();
    expect(other.services.getById(dm.id)).toBeUndefined();
    // No echo: the note that came down is not sent back up.
    expect(link.status.up.sent).toBe(1);
    expect(link.status.down.stored).toBe(1);
  });

  it('drop and reconnect: events missed while apart are caught up by NIP-77, not downloaded again', async () => {
    const port = await freePort();
    let other = await startTestRelay({ policies: exempt, relay: { port } });
    const otherDir = other.dataDir;
    const village = await relay(mirrorTo(other.url));
    const link = village.mirrors!.links[0]!;
    await until(() => link.status.connected, 5000);
    const bob = new Author();
    const onOther = await connect(other);
    // Written an hour ago: the live subscription (since its connection) never asks for these.
    const old = Array.from({ length: 20 }, (_, i) => bob.sign({ content: `old ${i}`, created_at: now() - 3600 - i }));
    for (const e of old) expect((await publish(onOther, e)).ok).toBe(true);
    onOther.close();

    await other.close();
    await until(() => !link.status.connected, 5000);
    // While the other relay is down, the village goes on and queues what goes up.
    const queued = bob.sign({ content: 'written while apart' });
    expect((await publish(await connect(village), queued)).ok).toBe(true);

    other = await startTestRelay({ policies: exempt, relay: { port }, storage: { dataDir: otherDir } });
    try {
      await until(() => link.status.connected && link.status.catchUp?.via === 'nip77' && link.status.catchUp.fetched === 20, 10_000);
      await until(() => other.services.getById(queued.id) !== undefined, 5000);
      const { events } = await fetchEvents(await connect(village), [{ authors: [bob.pubkey] }]);
      expect(ids(events)).toEqual(ids([...old, queued]));
      expect(link.status.failures).toBe(0);
      // The status outlives the relay's process: `hamlet stats` reads it from LMDB.
      await until(() => readMirrorStatus(village.relay.store.env).some((s) => s.connected && s.catchUp?.fetched === 20), 5000);
    } finally {
      await other.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('an unreachable relay: the village serves, the stream retries with backoff and says why', async () => {
    const port = await freePort();
    const village = await relay(mirrorTo(`ws://127.0.0.1:${port}`));
    const link = village.mirrors!.links[0]!;
    await until(() => link.status.failures >= 2, 5000);
    expect(link.status.connected).toBe(false);
    expect(link.status.lastError).toMatch(/cannot connect: .*ECONNREFUSED/);
    const e = new Author().sign();
    expect((await publish(await connect(village), e)).ok).toBe(true);
  });

  it('a relay sending invalid events: nothing is stored, each is refused, the village keeps going; write policies judge what comes in', async () => {
    const port = await freePort();
    const carol = new Author();
    const good = carol.sign({ content: 'a valid one' });
    const forged = { ...carol.sign({ content: 'forged' }), content: 'changed after signing' };
    const badSig = { ...carol.sign({ content: 'bad sig' }), sig: 'ab'.repeat(64) };
    const shouting = carol.sign({ content: 'THIS IS A VERY LOUD POST FOR NOBODY' });
    const server = new WebSocketServer({ port, host: '127.0.0.1' });
    server.on('connection', (ws) => {
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as unknown[];
        if (f[0] === 'NEG-OPEN') return void ws.send(JSON.stringify(['NOTICE', 'NIP-77 not supported']));
        if (f[0] !== 'REQ') return;
        for (const e of [forged, badSig, { kind: 'one' }, 'not an event', good, shouting]) ws.send(JSON.stringify(['EVENT', f[1], e]));
        ws.send('this is not json');
        ws.send(JSON.stringify(['EOSE', f[1]]));
      });
    });
    try {
      const village = await relay({
        ...mirrorTo(`ws://127.0.0.1:${port}`, { direction: 'down' }),
        policies: { ...exempt, write: [...exempt.write, { use: 'keywords', options: { keywords: ['loud post'] } }] },
      });
      const link = village.mirrors!.links[0]!;
      await until(() => link.status.down.stored === 1 && link.status.down.rejected >= 4, 5000);
      expect(village.services.getById(good.id)).toBeDefined();
      for (const e of [forged, badSig, shouting]) expect(village.services.getById(e.id)).toBeUndefined();
      expect((await publish(await connect(village), carol.sign({ content: 'still serving' }))).ok).toBe(true);
    } finally {
      server.close();
    }
  });
});
