import { startTestRelay, type TestRelay } from '../helpers/relay.ts';

/** Rate limits and duplicate checks exempt loopback: the tests flood, and peers sync from 127.0.0.1. */
const loopback = { exemptIps: ['loopback'] };
export const exempt = {
  connection: [{ use: 'rateLimit', options: loopback }],
  read: [{ use: 'rateLimit', options: loopback }],
  write: [
    { use: 'rateLimit', options: { exemptIps: ['loopback'] } },
    { use: 'sizeLimits' },
    { use: 'duplicates', options: { exemptIps: ['loopback'] } },
    // what a moderator must release first (the cluster test releases one on one node)
    { use: 'keywords', options: { keywords: ['hold me'], action: 'hold' } },
  ],
};

/** One in-process cluster node on a free port, with its own LMDB. */
export function startNode(redisUrl: string, nodeId: string, cluster: Record<string, unknown> = {}, port = 0): Promise<TestRelay> {
  return startTestRelay({
    relay: { port },
    cluster: { enabled: true, redisUrl, nodeId, stream: 'test:events', heartbeatSeconds: 1, ...cluster },
    log: { level: process.env.HAMLET_TEST_LOG ?? 'silent' },
    policies: exempt,
  });
}
