import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, RawClient, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { exempt } from './nodes.ts';
import { skipWithoutRedis, TestRedis } from './redisServer.ts';

/**
 * DVMs in a cluster: a job request reaches every node (the stream brings it), and exactly one
 * node answers it, whichever DVM keys the nodes hold.
 */
describe.skipIf(skipWithoutRedis)('cluster: DVM jobs answered once', () => {
  let redis: TestRedis;
  let nodes: TestRelay[] = [];
  const keysDir = mkdtempSync(join(tmpdir(), 'hamlet-cluster-dvm-keys-'));

  beforeAll(async () => {
    redis = await TestRedis.start();
    nodes = await Promise.all(
      ['a', 'b'].map((nodeId) =>
        startTestRelay({
          cluster: { enabled: true, redisUrl: redis.url, nodeId, stream: 'test:dvm-events', heartbeatSeconds: 1 },
          policies: exempt,
          // the documented deployment: one set of DVM keys for the village, shared by its nodes
          dvms: { enabled: true, keysDir },
        }),
      ),
    );
    await until(() => nodes.every((n) => n.cluster!.node.streamUp), 5000);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.destroy()));
    await redis?.destroy();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('a for-you request published on one node gets one result, though both nodes hear it', async () => {
    const [a, b] = nodes as [TestRelay, TestRelay];
    const dvm = a.dvms!.dvms.find((d) => d.id === 'feed-for-you')!.pubkey;
    expect(b.dvms!.dvms.find((d) => d.id === 'feed-for-you')!.pubkey).toBe(dvm);
    const member = new Author();
    const watchA = await RawClient.open(a.url);
    const watchB = await RawClient.open(b.url);
    const results: NostrEvent[] = [];
    const request = member.sign({ kind: 5300, content: '', tags: [['p', dvm], ['param', 'max_results', '5']] });
    for (const [c, name] of [[watchA, 'a'], [watchB, 'b']] as const) {
      c.send(['REQ', name, { kinds: [6300], '#e': [request.id] }]);
      await c.next((f) => f[0] === 'EOSE');
    }
    const [ok] = await watchA.publish(request);
    expect(ok).toBe(true);
    // each node sees the result (one from its own DVMs or the other node's, through the stream)
    const onA = await watchA.next((f) => f[0] === 'EVENT', 8000);
    results.push(onA[2] as NostrEvent);
    await new Promise((r) => setTimeout(r, 1500)); // a second answer, if any, would have come by now
    for (const n of nodes) results.push(...n.services.query([{ kinds: [6300], tags: new Map([['e', [request.id]]]) }]));
    expect(new Set(results.map((e) => e.id)).size).toBe(1);
    watchA.close();
    watchB.close();
  });
});
