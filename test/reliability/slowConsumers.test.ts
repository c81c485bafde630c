import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { acceptAll } from '../../relay/policy.ts';
import { Author, RawClient } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { until } from '../helpers/client.ts';

/** A reader that subscribes to everything and stops reading is cut off at the outbound cap. */

const CAP = 65_536;
const relays: TestRelay[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const r of relays.splice(0)) await r.destroy();
});

/** A subscriber to every kind 1 note whose TCP socket stops reading after EOSE. */
async function stalledSubscriber(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  await new Promise((r) => ws.once('open', r));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    ws.on('message', (d) => {
      if (d.toString().startsWith('["EOSE"')) resolve();
    });
    ws.send(JSON.stringify(['REQ', 'all', { kinds: [1], limit: 0 }]));
  });
  // From here on nothing is read: the kernel buffers fill, then the relay's.
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  return ws;
}

describe.each(['uws', 'ws'] as const)('slow consumers (%s transport)', (transport) => {
  it('closes a live subscriber and a backlog reader that never read once their outbound buffer passes the cap; the publisher goes on', async () => {
    const relay = await startTestRelay({ relay: { transport }, limits: { maxOutboundBytes: CAP } }, { policies: async () => acceptAll });
    relays.push(relay);
    expect(relay.transport).toBe(transport);
    const slow = await stalledSubscriber(relay.url);
    const publisher = await RawClient.open(relay.url);
    await until(() => relay.relay.sessions.size === 2);
    const author = new Author();
    const big = 'n'.repeat(50_000);
    let published = 0;
    // 50 kB notes until the relay gives up on the stalled reader (bounded: 40 MB at most).
    for (let i = 0; i < 800 && relay.relay.sessions.size === 2; i++) {
      const [ok] = await publisher.publish(author.sign({ content: `${big} ${i}` }));
      expect(ok).toBe(true);
      published++;
    }
    expect(relay.relay.sessions.size, `still connected after ${published} notes of 50 kB`).toBe(1);
    // Kernel buffers hold a few MB on loopback; the relay's own queue held at most about the cap.
    expect(published).toBeLessThan(800);
    // The publisher is still served after the cut.
    const after = author.sign({ content: 'after the cut' });
    expect(await publisher.publish(after)).toEqual([true, '']);
    expect((await publisher.req('check', { ids: [after.id] })).events).toHaveLength(1);
    void slow;

    // The same for a backlog: a REQ whose stored answer is megabytes, sent by a reader that has stopped reading.
    const backlog = new WebSocket(relay.url);
    sockets.push(backlog);
    await new Promise((r) => backlog.once('open', r));
    backlog.on('error', () => undefined);
    await until(() => relay.relay.sessions.size === 2);
    (backlog as unknown as { _socket: { pause(): void } })._socket.pause();
    backlog.send(JSON.stringify(['REQ', 'everything', { kinds: [1], limit: 5000 }]));
    await until(() => relay.relay.sessions.size === 1, 10_000);
    expect(await publisher.publish(author.sign({ content: 'still serving' }))).toEqual([true, '']);
    publisher.close();
  }, 60_000);
});
