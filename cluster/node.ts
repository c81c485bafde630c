import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { ClusterConfig } from '../config/sections/cluster.ts';
import type { Logger } from '../relay/log.ts';
import type { IngestResult } from '../relay/ingest.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { Replicator } from '../relay/replication.ts';
import { clusterEvents, clusterPublishSeconds, clusterStreamUp } from '../relay/metrics/registry.ts';
import { openRedis, redisReason, safeRedisUrl } from './redis.ts';
import type { PeerSync } from './peerSync.ts';
import { nodesKey, type NodeStatus } from './status.ts';

export interface ClusterNodeOptions {
  config: ClusterConfig;
  log: Logger;
  /** This node's own address (what its peers list). */
  relayUrl: () => string;
  /** Stores (or, ephemeral, delivers) an event another node accepted. */
  submitReplica: (raw: unknown) => Promise<IngestResult>;
  peerSync: PeerSync;
}

/** How long a starting node waits for Redis before it serves without it. */
const JOIN_WAIT_MS = 3000;
/** Events read from the stream at once. */
const READ_COUNT = 500;
/** Events this node stored but could not put on the stream yet; past this NIP-77 carries them. */
const BACKLOG_MAX = 100_000;

/**
 * One node's side of the cluster stream (a Redis stream with one consumer group per node):
 * publishes what this node accepts, awaited before the OK (the relay's Replicator), and stores
 * and fans out what the other nodes published, acknowledging each entry (XACK) only once stored,
 * so a node killed mid-batch re-reads its pending entries when it starts again.
 */
export class ClusterNode implements Replicator {
  private readonly writer: Redis;
  private readonly reader: Redis;
  private readonly group: string;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  /** An outage is logged once, as is its end. */
  private wasEverUp = false;
  /** Redis was unreachable at start: the group is created, and the peers asked again, when it answers. */
  private joinPending = false;
  private downSince: number | undefined;
  /** Stored here, not yet on the stream (Redis was down): published when it returns. */
  private readonly backlog = new Map<string, string>();
  private readonly startedAt = Date.now();
  readonly counts = { published: 0, publishFailed: 0, received: 0, stored: 0, duplicate: 0, rejected: 0 };
  private lastError: string | undefined;
  /** The last stream entry this node read (entries trimmed after it and before the next read are a gap). */
  private lastRead: string | undefined;

  constructor(private readonly opts: ClusterNodeOptions) {
    const { config } = opts;
    this.group = `node:${config.nodeId}`;
    this.writer = openRedis(config.redisUrl, `hamlet-${config.nodeId}-w`);
    this.reader = openRedis(config.redisUrl, `hamlet-${config.nodeId}-r`);
    this.writer.on('ready', () => this.onReady());
    this.writer.on('error', (err) => this.onDown(err));
    this.writer.on('close', () => this.onDown(undefined));
  }

  private get config(): ClusterConfig {
    return this.opts.config;
  }

  /** Starts reading the stream; the node serves whether Redis answers or not. */
  async start(): Promise<this> {
    // This node's group first (it starts at the stream's end), then the peers: whatever was
    // accepted before the group existed is in a peer's LMDB by the time it is asked.
    if (await ready(this.reader, JOIN_WAIT_MS)) {
      try {
        await this.ensureGroup();
      } catch {
        this.joinPending = true;
      }
    } else this.joinPending = true;
    this.loop = this.readLoop();
    this.heartbeat = setInterval(() => void this.beat(), this.config.heartbeatSeconds * 1000);
    this.heartbeat.unref();
    if (this.config.syncIntervalSeconds > 0 && this.config.peers.length > 0) {
      this.syncTimer = setInterval(() => void this.opts.peerSync.run(), this.config.syncIntervalSeconds * 1000);
      this.syncTimer.unref();
    }
    // A node joining or restarting first learns what it missed from its peers.
    void this.opts.peerSync.run();
    return this;
  }

  get streamUp(): boolean {
    return this.writer.status === 'ready';
  }

  refusal(): string | undefined {
    if (this.streamUp || this.config.whenStreamDown === 'accept') return undefined;
    return 'error: the cluster stream is unreachable, so this node cannot share the event; try again later';
  }

  async publish(event: NostrEvent, json: string): Promise<void> {
    if (!this.streamUp && this.config.whenStreamDown === 'accept') return this.keep(event.id, json);
    const started = performance.now();
    try {
      await this.add(json);
      clusterPublishSeconds.observe((performance.now() - started) / 1000);
      this.counts.published++;
      clusterEvents.inc({ outcome: 'published' });
    } catch (err) {
      this.counts.publishFailed++;
      clusterEvents.inc({ outcome: 'publish-failed' });
      // Stored here already: published once Redis returns, whatever the client is told now.
      this.keep(event.id, json);
      if (this.config.whenStreamDown === 'accept') return;
      throw new Error(`the cluster stream did not take the event (${redisReason(err)})`);
    }
  }

  private keep(id: string, json: string): void {
    if (this.backlog.size >= BACKLOG_MAX) return;
    this.backlog.set(id, json);
  }

  private add(json: string): Promise<unknown> {
    const add = this.writer.xadd(this.config.stream, 'MAXLEN', '~', this.config.streamMaxLength, '*', 'n', this.config.nodeId, 'e', json);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer from Redis within ${this.config.publishTimeoutMs} ms`)), this.config.publishTimeoutMs);
      add.then(resolve, reject).finally(() => clearTimeout(t));
    });
  }

  private onDown(err: unknown): void {
    if (this.stopped) return;
    if (err) this.lastError = redisReason(err);
    if (this.downSince !== undefined) return;
    this.downSince = Date.now();
    clusterStreamUp.set(0);
    const what = this.config.whenStreamDown === 'refuse' ? 'new events are refused' : 'new events are kept here and published when it returns';
    this.opts.log.error(
      { redis: safeRedisUrl(this.config.redisUrl), err: this.lastError },
      `cluster: Redis at ${safeRedisUrl(this.config.redisUrl)} is unreachable (${this.lastError ?? 'connection closed'}); this node serves its own clients, ${what}`,
    );
  }

  private onReady(): void {
    const outage = this.downSince !== undefined ? Date.now() - this.downSince : 0;
    this.downSince = undefined;
    clusterStreamUp.set(1);
    this.lastError = undefined;
    if (this.wasEverUp) this.opts.log.info({ seconds: Math.round(outage / 1000), backlog: this.backlog.size }, `cluster: Redis is back after ${Math.round(outage / 1000)} s; catching up`);
    else this.opts.log.info({ redis: safeRedisUrl(this.config.redisUrl), node: this.config.nodeId }, `cluster: node ${this.config.nodeId} joined the stream ${this.config.stream}`);
    const rejoin = this.wasEverUp || this.joinPending;
    this.joinPending = false;
    this.wasEverUp = true;
    void this.beat();
    void this.flushBacklog();
    // After an outage, what the stream trimmed or never got (a partition) comes from the peers.
    if (rejoin) void this.ensureGroup().then(() => this.opts.peerSync.run(), () => this.opts.peerSync.run());
  }

  private async flushBacklog(): Promise<void> {
    for (const [id, json] of [...this.backlog]) {
      if (!this.streamUp) return;
      try {
        await this.add(json);
        this.backlog.delete(id);
        this.counts.published++;
        clusterEvents.inc({ outcome: 'published' });
      } catch {
        return;
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      // '$': a new node's history comes from its peers by NIP-77, not from the whole stream.
      await this.reader.xgroup('CREATE', this.config.stream, this.group, '$', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  private async readLoop(): Promise<void> {
    // '0': the entries delivered to this node before and not acknowledged (it stopped mid-batch), then new ones.
    let cursor = '0';
    let grouped = false;
    while (!this.stopped) {
      if (this.reader.status !== 'ready') {
        grouped = false;
        cursor = '0';
        await sleep(200);
        continue;
      }
      try {
        if (!grouped) {
          await this.ensureGroup();
          grouped = true;
        }
        const reply = (await this.reader.xreadgroup('GROUP', this.group, this.config.nodeId, 'COUNT', READ_COUNT, 'BLOCK', 1000, 'STREAMS', this.config.stream, cursor)) as
          | [string, [string, string[]][]][]
          | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (cursor === '0' && entries.length === 0) cursor = '>';
        if (entries.length > 0 && this.lastRead !== undefined) await this.checkGap(this.lastRead);
        if (entries.length > 0) await this.take(entries);
      } catch (err) {
        if (this.stopped) return;
        const message = (err as Error).message ?? '';
        if (message.includes('NOGROUP')) grouped = false;
        await sleep(200);
      }
    }
  }

  /**
   * Entries trimmed from the stream before this node read them (it fell further behind than
   * cluster.streamMaxLength): what they held comes from the peers by NIP-77. Trimming never
   * records what it removed, so a stream that now starts after the last entry read counts as a
   * gap (at worst, one reconciliation that finds nothing to do).
   */
  private async checkGap(lastRead: string): Promise<void> {
    const info = (await this.reader.xinfo('STREAM', this.config.stream)) as unknown[];
    const at = info.indexOf('recorded-first-entry-id');
    const first = at >= 0 ? String(info[at + 1]) : '0-0';
    if (compareIds(first, lastRead) <= 0) return;
    this.opts.log.warn({ lastRead, streamStartsAt: first }, 'cluster: the stream trimmed entries this node had not read; catching up from the peers (NIP-77)');
    clusterEvents.inc({ outcome: 'gap' });
    void this.opts.peerSync.run();
  }

  /** Stores a batch read from the stream, then acknowledges it. */
  private async take(entries: [string, string[]][]): Promise<void> {
    const ids: string[] = [];
    await Promise.all(
      entries.map(async ([entryId, fields]) => {
        ids.push(entryId);
        const from = field(fields, 'n');
        const json = field(fields, 'e');
        if (from === this.config.nodeId || json === undefined) return;
        this.counts.received++;
        let raw: unknown;
        try {
          raw = JSON.parse(json);
        } catch {
          this.count('rejected');
          return;
        }
        const r = await this.opts.submitReplica(raw);
        this.count(!r.ok ? 'rejected' : r.message.startsWith('duplicate:') ? 'duplicate' : 'stored');
        if (!r.ok) this.opts.log.warn({ id: r.id, from, reason: r.message }, 'cluster: an event from the stream was refused');
      }),
    );
    if (ids.length > 0) await this.reader.xack(this.config.stream, this.group, ...ids);
    const last = entries[entries.length - 1]![0];
    if (this.lastRead === undefined || compareIds(last, this.lastRead) > 0) this.lastRead = last;
  }

  private count(outcome: 'stored' | 'duplicate' | 'rejected'): void {
    this.counts[outcome]++;
    clusterEvents.inc({ outcome: `received-${outcome}` });
  }

  /** What this node records in Redis for `hamlet stats` and the other nodes. */
  status(): NodeStatus {
    return {
      node: this.config.nodeId,
      url: this.opts.relayUrl(),
      host: hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      lastSeen: Date.now(),
      streamUp: this.streamUp,
      backlog: this.backlog.size,
      ...this.counts,
      peers: this.opts.peerSync.peers.map((p) => ({ ...p })),
    };
  }

  private async beat(): Promise<void> {
    if (!this.streamUp) return;
    try {
      await this.writer.hset(nodesKey(this.config.stream), this.config.nodeId, JSON.stringify(this.status()));
    } catch {
      // The outage is reported by the connection's own events.
    }
  }

  /** Stops reading and publishing; events already stored stay, and the group keeps this node's place. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearInterval(this.syncTimer);
    await this.beat();
    // A blocking read in flight ends with the connection.
    this.reader.disconnect();
    await this.loop?.catch(() => undefined);
    await this.opts.peerSync.idle();
    this.writer.disconnect();
    clusterStreamUp.set(0);
  }
}

/** Orders stream entry ids ("ms-seq"). */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** Resolves true once the connection is ready, false after `ms`. */
function ready(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => (redis.off('ready', on), resolve(false)), ms);
    const on = () => (clearTimeout(t), resolve(true));
    redis.once('ready', on);
  });
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
