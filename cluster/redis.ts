import { Redis } from 'ioredis';

export { safeRedisUrl } from './redisUrl.ts';

/**
 * One connection to the cluster's Redis. Commands fail at once while it is down (no offline
 * queue: an OK must not wait on a dead server) and it reconnects on its own, every 2 s at most.
 */
export function openRedis(url: string, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    // Redis errors are reported by the callers, once per outage, not by ioredis on stderr.
    showFriendlyErrorStack: false,
  });
  redis.on('error', () => undefined);
  return redis;
}

/** The reason a Redis command failed, in a form an operator can act on. */
export function redisReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ETIMEDOUT') return 'connection timed out';
  if (e.code === 'ENOTFOUND') return 'host not found';
  return e.message ?? String(err);
}
