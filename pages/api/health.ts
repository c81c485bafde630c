import { listModels } from '../../models/index.ts';
import { clusterStatus } from '../../cluster/index.ts';
// not federation/index.ts: the mirror links (ws, the sync client) load only when mirrors are configured
import { readMirrorStatus } from '../../federation/status.ts';
import type { PagesSources } from '../sources.ts';
import type { Endpoint } from './endpoint.ts';
import type { IngestRate } from './ingestRate.ts';

/** A value read again only when older than `ttlMs` (a second caller within it shares the first's reading). */
function kept<T>(ttlMs: number, read: () => T): () => T {
  let last: { at: number; value: T } | undefined;
  return () => {
    if (!last || Date.now() - last.at > ttlMs) last = { at: Date.now(), value: read() };
    return last.value;
  };
}

/** GET /api/health: connections, ingest, storage, verifier, policies per stage, DVMs and models, mirrors and cluster nodes. */
export function healthEndpoint(s: PagesSources, ingest: IngestRate): Endpoint {
  // Counting a large store's authors takes a while: a minute-old figure is good enough for a dashboard.
  const storageNow = kept(60_000, () => s.storage());
  // Each reading opens a Redis connection and every open console polls: one reading per heartbeat period (what the nodes refresh) will do.
  const clusterNow = kept(s.relay.config.cluster.heartbeatSeconds * 1000, () => clusterStatus(s.relay.config));
  return {
    method: 'GET',
    path: 'health',
    role: 'moderator',
    async handle() {
      const summary = s.summary();
      const config = s.relay.config;
      return {
        name: config.relay.name,
        url: s.relay.url,
        connections: s.relay.sessions.size,
        subscriptions: s.relay.monitor.size,
        memoryMb: Math.round(process.memoryUsage().rss / 1048576),
        uptimeSeconds: Math.round(process.uptime()),
        ingest: ingest.series(),
        storage: storageNow(),
        transport: summary?.transport,
        verifier: summary?.verifier,
        policies: s.engine?.describe() ?? summary?.policies,
        policyLoadErrors: s.engine?.loadErrors().map((e) => ({ ...e })) ?? [],
        dvms: s.dvms()?.dvms.map(({ name, kind, pubkey }) => ({ name, kind, pubkey })) ?? [],
        labeler: summary?.labeler ?? false,
        models: (await listModels(config.models)).active,
        modelsInUse: summary?.models,
        moderation: s.moderation ? { pubkey: s.moderation.key.pubkey, stats: s.moderation.stats() } : undefined,
        // per stream (from LMDB, written by the running mirrors) and per node (from Redis), as `hamlet stats` shows them
        mirrors: readMirrorStatus(s.relay.store.env),
        cluster: await clusterNow(),
      };
    },
  };
}
