/**
 * The cluster (issue 22): several Hamlet nodes behind one address, each with its own LMDB. What
 * one node accepts goes to the others through a Redis stream (consumer group per node); NIP-77
 * with the peers heals what the stream cannot (a node down past its trimming, a partition).
 * Model work can be queued to separate worker nodes (modelJobs.ts). See cluster/README.md.
 */
import type { Config } from '../config/schema.ts';
import type { Logger } from '../relay/log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Models } from '../models/index.ts';
import type { ClusterNode } from './node.ts';
import type { PeerSync } from './peerSync.ts';
import type { JobClaims } from './jobClaims.ts';
import type { ClusterView } from './status.ts';
import type { ModelWorker, ModelWorkerOptions } from './modelJobs.ts';

// The Redis clients (ioredis, bullmq: over 20 MB) load only when a cluster is used: the
// functions below import the modules that need them on first call.
export type { ClusterNode } from './node.ts';
export type { PeerSync, PeerSyncState } from './peerSync.ts';
export type { ClusterView, NodeStatus, NodeView } from './status.ts';
export type { JobClaims } from './jobClaims.ts';
export type { ModelJob, ModelJobQueue, ModelWorker } from './modelJobs.ts';
export { safeRedisUrl } from './redisUrl.ts';

/** Nodes, stream and lag as `hamlet stats` and the console show them; undefined when cluster.enabled is off. */
export async function clusterStatus(config: Config): Promise<ClusterView | { error: string } | undefined> {
  if (!config.cluster.enabled) return undefined;
  return (await import('./status.ts')).clusterStatus(config);
}

/** A node whose models run on `hamlet worker` nodes (cluster.models = "workers"). */
export async function workerModels(config: Pick<Config, 'cluster' | 'models'>, waitMs?: number): Promise<Models> {
  return (await import('./modelJobs.ts')).workerModels(config, waitMs);
}

/** `hamlet worker`: runs the model jobs queued by the nodes. */
export async function startModelWorker(opts: ModelWorkerOptions): Promise<ModelWorker> {
  return (await import('./modelJobs.ts')).startModelWorker(opts);
}

export interface RunningCluster {
  node: ClusterNode;
  peerSync: PeerSync;
  /** Once-only DVM jobs across the nodes (the DVMs claim each request before running it). */
  claims: JobClaims;
  stop(): Promise<void>;
}

/** Joins the relay to the cluster (waiting a few seconds for Redis): its OKs wait for the stream, and the other nodes' events reach it. */
export async function startCluster(config: Config, relay: Relay, log: Logger): Promise<RunningCluster> {
  const [{ ClusterNode }, { PeerSync }, { RedisJobClaims }] = await Promise.all([import('./node.ts'), import('./peerSync.ts'), import('./jobClaims.ts')]);
  const submitReplica = (raw: unknown) => relay.submit(raw, 'sync', undefined, { replica: true });
  const peerSync = new PeerSync(config.cluster.peers, relay.store, submitReplica, log);
  const node = new ClusterNode({ config: config.cluster, log, relayUrl: () => relay.url, submitReplica, peerSync });
  relay.setReplicator(node);
  await node.start();
  const claims = new RedisJobClaims(config.cluster.redisUrl);
  return {
    node,
    peerSync,
    claims,
    async stop() {
      relay.setReplicator(undefined);
      await node.stop();
      await claims.close();
    },
  };
}
