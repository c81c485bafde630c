import type { Logger } from '../relay/log.ts';
import type { IngestResult } from '../relay/ingest.ts';
import type { Store } from '../relay/store/store.ts';
import { syncWithRelay } from '../relay/sync/client.ts';
import { clusterPeerSyncs } from '../relay/metrics/registry.ts';

export interface PeerSyncState {
  url: string;
  /** Unix ms of the last attempt and of the last success. */
  lastAttempt?: number;
  lastSuccess?: number;
  /** Events fetched by the last success; the error of the last failure. */
  fetched?: number;
  error?: string;
}

/**
 * NIP-77 with the other nodes (anti-entropy): what a node missed while it was down, partitioned,
 * or longer ago than the stream keeps, is pulled from each peer, as replicas (not judged again,
 * not published back). Every node pulls, so nothing needs pushing. One round at a time.
 */
export class PeerSync {
  readonly peers: PeerSyncState[];
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    peers: string[],
    private readonly store: Store,
    private readonly submitReplica: (raw: unknown) => Promise<IngestResult>,
    private readonly log: Logger,
  ) {
    this.peers = peers.map((url) => ({ url }));
  }

  /** Starts a round (or queues one more after the round running now); resolves when it is done. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (const peer of this.peers) await this.syncOne(peer);
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async syncOne(peer: PeerSyncState): Promise<void> {
    peer.lastAttempt = Date.now();
    try {
      const report = await syncWithRelay({ url: peer.url, store: this.store, submit: this.submitReplica, dir: 'down' });
      peer.lastSuccess = Date.now();
      peer.fetched = report.down.stored;
      peer.error = undefined;
      clusterPeerSyncs.inc({ result: 'ok' });
      if (report.down.stored > 0 || report.down.rejected > 0) {
        this.log.info({ peer: peer.url, stored: report.down.stored, rejected: report.down.rejected, seconds: report.seconds }, `cluster: caught up ${report.down.stored} events from ${peer.url} (NIP-77)`);
      }
    } catch (err) {
      peer.error = (err as Error).message;
      clusterPeerSyncs.inc({ result: 'failed' });
      this.log.warn({ peer: peer.url, err: peer.error }, `cluster: NIP-77 with peer ${peer.url} failed: ${peer.error}`);
    }
  }

  /** Resolves when no round runs. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
