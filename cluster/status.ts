import type { Config } from '../config/schema.ts';
import { Redis } from 'ioredis';
import { redisReason, safeRedisUrl } from './redis.ts';
import type { PeerSyncState } from './peerSync.ts';

/** What each node records in Redis every cluster.heartbeatSeconds (a hash beside the stream). */
export interface NodeStatus {
  node: string;
  url: string;
  host: string;
  pid: number;
  startedAt: number;
  lastSeen: number;
  streamUp: boolean;
  /** Events stored on this node and not yet on the stream. */
  backlog: number;
  published: number;
  publishFailed: number;
  received: number;
  stored: number;
  duplicate: number;
  rejected: number;
  peers: PeerSyncState[];
}

export const nodesKey = (stream: string): string => `${stream}:nodes`;

/** A node as `hamlet stats` shows it: its last heartbeat and its consumer group's place in the stream. */
export interface NodeView extends Partial<NodeStatus> {
  node: string;
  /** Entries delivered to the node and not yet acknowledged, and entries not yet delivered (Redis 7+). */
  pending?: number;
  lag?: number | null;
  /** Seconds since the last heartbeat. */
  silentSeconds?: number;
}

export interface ClusterView {
  stream: string;
  length: number;
  nodes: NodeView[];
}

function pairs(list: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1];
  return out;
}

/** Reads every node's status and consumer group from Redis. */
export async function readClusterView(redis: Redis, stream: string): Promise<ClusterView> {
  const [length, beats, groups] = await Promise.all([
    redis.xlen(stream),
    redis.hgetall(nodesKey(stream)),
    (redis.xinfo('GROUPS', stream) as Promise<unknown[][]>).catch(() => [] as unknown[][]),
  ]);
  const byNode = new Map<string, NodeView>();
  for (const [node, json] of Object.entries(beats)) {
    try {
      const s = JSON.parse(json) as NodeStatus;
      byNode.set(node, { ...s, silentSeconds: Math.round((Date.now() - s.lastSeen) / 1000) });
    } catch {
      byNode.set(node, { node });
    }
  }
  for (const g of groups) {
    const info = pairs(g);
    const name = String(info.name ?? '');
    if (!name.startsWith('node:')) continue;
    const node = name.slice(5);
    const view = byNode.get(node) ?? { node };
    view.pending = Number(info.pending ?? 0);
    view.lag = info.lag === null || info.lag === undefined ? null : Number(info.lag);
    byNode.set(node, view);
  }
  return { stream, length, nodes: [...byNode.values()].sort((a, b) => a.node.localeCompare(b.node)) };
}

/** The cluster as Redis knows it (every node's heartbeat and consumer group), or why it cannot be read. */
export async function clusterStatus(config: Config): Promise<ClusterView | { error: string } | undefined> {
  if (!config.cluster.enabled) return undefined;
  const redis = new Redis(config.cluster.redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The cause (refused, timed out) comes as an error event; connect() itself only says the connection closed.
  let cause: unknown;
  redis.on('error', (err) => (cause ??= err));
  try {
    await redis.connect();
    return await readClusterView(redis, config.cluster.stream);
  } catch (err) {
    return { error: `Redis at ${safeRedisUrl(config.cluster.redisUrl)} is unreachable (${redisReason(cause ?? err)})` };
  } finally {
    redis.disconnect();
  }
}
