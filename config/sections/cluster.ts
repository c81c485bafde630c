import { z } from 'zod';

const wsUrl = z.string().regex(/^wss?:\/\/[^\s]+$/, 'must be a ws:// or wss:// URL');

/** Several Hamlet nodes behind one address (cluster/): Redis Streams between them, NIP-77 to converge. */
export const clusterSection = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .describe('Run as one node of a cluster: every event this node acknowledges is also published to a Redis stream, and the events the other nodes publish there reach this node\'s subscribers and database. Off: a single relay, no Redis.'),
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379')
      .describe('The Redis (or Valkey) server the nodes share, e.g. redis://:password@10.0.0.5:6379/0 (rediss:// for TLS). Keep it on a private network: the stream carries DMs between nodes.'),
    nodeId: z
      .string()
      .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only')
      .max(64)
      .default('')
      .describe('This node\'s name in the cluster, unique and stable across restarts (its consumer group is named after it). Required when cluster.enabled.'),
    stream: z.string().min(1).max(200).default('hamlet:events').describe('The Redis stream key the nodes share.'),
    streamMaxLength: z
      .number()
      .int()
      .min(100)
      .default(1_000_000)
      .describe('Entries the stream keeps (trimmed approximately). A node down for longer than this covers catches up through NIP-77 with cluster.peers instead.'),
    peers: z
      .array(wsUrl)
      .default([])
      .describe('The other nodes\' own addresses (not the shared one), e.g. ["ws://10.0.0.2:7777"]: pulled from by NIP-77 at start, after Redis returns and every cluster.syncIntervalSeconds. Each peer should list this node\'s address in its rate limits\' exemptIps.'),
    syncIntervalSeconds: z
      .number()
      .int()
      .min(0)
      .default(3600)
      .describe('Seconds between background NIP-77 reconciliations with the peers (anti-entropy); 0: only at start and after a Redis outage.'),
    whenStreamDown: z
      .enum(['refuse', 'accept'])
      .default('refuse')
      .describe('While Redis is unreachable: refuse new events ("error: ..." in OK; reads and live subscriptions go on), or accept them on this node alone and publish them when Redis returns (the other nodes see them late).'),
    publishTimeoutMs: z
      .number()
      .int()
      .min(50)
      .default(2000)
      .describe('How long an OK waits for Redis to take an event before the client is told to try again.'),
    heartbeatSeconds: z.number().int().min(1).default(5).describe('How often this node records its status in Redis (what `hamlet stats` shows for every node).'),
    jobQueue: z
      .string()
      .regex(/^[A-Za-z0-9:._-]+$/, 'letters, digits, colon, dot, dash and underscore only')
      .default('hamlet-model-jobs')
      .describe('The BullMQ queue of model jobs (embeddings, classifications) that `hamlet worker` nodes take.'),
    models: z
      .enum(['local', 'workers'])
      .default('local')
      .describe('Where this node\'s model work runs: "local" (its own worker threads) or "workers" (jobs on cluster.jobQueue for `hamlet worker` nodes; the node starts no model threads and waits for a worker at start).'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.enabled && c.nodeId === '') ctx.addIssue({ code: 'custom', path: ['nodeId'], message: 'required when cluster.enabled is true (a unique name such as "node-1")' });
  });

export type ClusterConfig = z.infer<typeof clusterSection>;
