/**
 * The cluster (issue 22): several Hamlet nodes behind one address, each with its own LMDB. What
 * one node accepts goes to the others through a Redis stream (consumer group per node); NIP-77
 * with the peers heals what the stream cannot (a node down past its trimming, a partition).
 * Model work can be queued to separate worker nodes (modelJobs.ts). See cluster/README.md.
 */
import type { Config } from '../config/schema.ts';
import type { Logger } from '../relay/log.ts';
import type { Relay } from '../relay/relay.ts';
import { ClusterNode } from './node.ts';
import { PeerSync } from './peerSync.ts';

export { ClusterNode } from './node.ts';
export { PeerSync, type PeerSyncState } from './peerSync.ts';
export { clusterStatus, readClusterView, nodesKey, type ClusterView, type NodeStatus, type NodeView } from './status.ts';
export { openRedis, redisReason, safeRedisUrl } from './redis.ts';
export { RedisJobClaims, type JobClaims } from './jobClaims.ts';
import { RedisJobClaims, type JobClaims } from './jobClaims.ts';
export { ModelJobQueue, queuedModels, workerModels, startModelWorker, type ModelJob, type ModelWorker } from './modelJobs.ts';

export interface RunningCluster {
  node: ClusterNode;
  peerSync: PeerSync;
  /** Once-only DVM jobs across the nodes (the DVMs claim each request before running it). */
  claims: JobClaims;
  stop(): Promise<void>;
}

/** Joins the relay to the cluster (waiting a few seconds for Redis): its OKs wait for the stream, and the other nodes' events reach it. */
export async function startCluster(config: Config, relay: Relay, log: Logger): Promise<RunningCluster> {
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
