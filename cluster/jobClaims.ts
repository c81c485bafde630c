import type { Redis } from 'ioredis';
import { openRedis } from './redis.ts';

/**
 * Once-only DVM jobs across the nodes of a cluster: every node hears every job request (the
 * stream brings it to each), so before running one a node claims (DVM, request) in Redis, and
 * only the first claim wins. A single relay needs none of this (its own LMDB record suffices).
 */
export interface JobClaims {
  /** True for the first node to claim this key (for `ttlSeconds`); false if another node has it. */
  claim(key: string): Promise<boolean>;
  close(): Promise<void>;
}

export class RedisJobClaims implements JobClaims {
  private readonly redis: Redis;

  constructor(redisUrl: string, private readonly prefix = 'hamlet:dvm-claims', private readonly ttlSeconds = 86_400) {
    this.redis = openRedis(redisUrl, 'hamlet-dvm-claims');
  }

  /** Redis unreachable: the claim fails (the caller skips the job rather than risk running it twice). */
  async claim(key: string): Promise<boolean> {
    if (this.redis.status === 'connecting' || this.redis.status === 'connect') {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        this.redis.once('ready', () => (clearTimeout(t), resolve()));
      });
    }
    return (await this.redis.set(`${this.prefix}:${key}`, '1', 'EX', this.ttlSeconds, 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
