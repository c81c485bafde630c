import { join } from 'node:path';
import { parsePubkey } from '../relay/nostr/keys.ts';
import type { Config } from '../config/schema.ts';
import { EmbeddingCache, inlineVillageEmbedder, modelKey, type Models } from '../models/index.ts';
import type { RelayServices } from '../relay/services.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { FEED_KIND, feedDvm, feedResultCache, makeRanker } from './feeds/feedDvm.ts';
import { FeedPages } from './feeds/pages.ts';
import { announcementEvent, heartbeatEvent, sameAnnouncement } from './runtime/announce.ts';
import { loadOrCreateKey } from './runtime/keys.ts';
import { RemoteRelays } from './runtime/remote.ts';
import { JobRuntime, type JobClaims, type RunningDvm } from './runtime/runtime.ts';
import { Signals, signalLimits } from './signals/index.ts';
import type { DvmSpec } from './types.ts';
import { KIND_DELETION, KIND_HANDLER_INFO, KIND_METADATA, KIND_RELAY_LIST } from '../relay/nostr/kinds.ts';
import { profileEvent, relayListEvent } from './runtime/profile.ts';
import { peopleDvm } from './people/peopleDvm.ts';
import { ownPubkeys } from '../relay/nostr/ownKeys.ts';

export type { DvmSpec, JobRequest, JobOutput, JobContext, ParamDoc } from './types.ts';
export { JobError } from './types.ts';
export { FEED_KIND } from './feeds/feedDvm.ts';
export { HEARTBEAT_KIND } from './runtime/announce.ts';

/** What other DVMs (the tagging DVM, issue 6) get to build their specs from. */
export interface DvmPlugContext {
  services: RelayServices;
  signals: Signals;
  models?: Models;
}

export interface DvmsOptions {
  services: RelayServices;
  /** The home relay's URL (relay hints); a function because it is known only once bound. */
  relayUrl: string | (() => string);
  models?: Models;
  /** Default: services.config.dvms. */
  config?: Config['dvms'];
  /** More DVMs run by the same runtime (another job kind, e.g. tagging). */
  extra?: (ctx: DvmPlugContext) => DvmSpec[];
  /** More pubkeys whose kind 1985 labels feeds honour (e.g. the village labeler's). */
  labelers?: string[];
  /** In a cluster: who runs each job (cluster/jobClaims.ts), so every request gets one answer. */
  claims?: JobClaims;
}

export interface RunningDvms {
  /** The DVMs running, with their pubkeys (empty when dvms.enabled is false). */
  dvms: { id: string; kind: number; name: string; pubkey: string }[];
  signals?: Signals;
  /** Publishes the announcements that changed now (they are looked at with each heartbeat anyway). */
  reannounce(): Promise<void>;
  close(): Promise<void>;
}

/** Hex pubkeys from config lists that may hold npubs. */
function hexKeys(list: readonly string[]): string[] {
  return list.flatMap((k) => parsePubkey(k) ?? []);
}

/**
 * Starts the village's DVMs against a relay: keys, signals, the job runtime fed by the relay's
 * commits (and remote relays), NIP-89 announcements and heartbeats. The relay knows nothing of
 * this; it only hands over `services`.
 */
export async function startDvms(o: DvmsOptions): Promise<RunningDvms> {
  const { services } = o;
  const config = o.config ?? services.config.dvms;
  if (!config.enabled) return { dvms: [], reannounce: async () => {}, close: async () => {} };
  const log = services.log;
  const relayUrl = typeof o.relayUrl === 'function' ? o.relayUrl : () => o.relayUrl as string;
  const keysDir = config.keysDir || join(services.config.storage.dataDir, 'dvm-keys');

  const embedder = o.models?.embedder ?? inlineVillageEmbedder(services.config.models);
  const cache = o.models && services.config.models.cacheEmbeddings && embedder.info.provider !== 'builtin' ? new EmbeddingCache(services.env) : undefined;
  const members = hexKeys(services.config.policies.members);
  const dvmPubkeys = new Set<string>();
  const labelers = new Set([...hexKeys(config.trustedLabelers), ...hexKeys(o.labelers ?? []), ...members]);
  const signals = Signals.start({
    services,
    embedder,
    cache,
    windowHours: config.windowHours,
    limits: signalLimits(config),
    unlabelledLanguage: services.config.labels.enabled ? services.config.labels.villageLanguage : undefined,
    trustedLabeler: (pk) => labelers.has(pk) || dvmPubkeys.has(pk),
  });
  const village = () => (members.length > 0 ? signals.graph.hopsFromAny(members, services.config.policies.trustMaxHops) : undefined);
  const pages = new FeedPages(services.env);
  const rank = makeRanker(signals, village);
  const model = () => modelKey(embedder.info);
  const results = feedResultCache(config);
  const specs: DvmSpec[] = [
    ...config.feeds.map((algorithm, i) => feedDvm({ algorithm, config, rank, pages, cache: results, model, takesUnaddressed: i === 0 })),
    ...(o.extra?.({ services, signals, models: o.models }) ?? []),
    ...(config.people ? [peopleDvm({ signals, name: config.name, excluded: () => ownKeys })] : []),
  ];
  const dvms: RunningDvm[] = specs.map((spec) => ({ spec, key: loadOrCreateKey(keysDir, spec.id) }));
  for (const d of dvms) dvmPubkeys.add(d.key.pubkey);
  // the village's staff (DVMs, labeler, moderation, commons) is never suggested as a person to meet
  const ownKeys = new Set([...dvmPubkeys, ...hexKeys(o.labelers ?? []), ...ownPubkeys(services.config)]);

  const remote = new RemoteRelays(log);
  const runtime = new JobRuntime({ services, relayUrl, dvms, remote, windowSeconds: config.requestWindowSeconds, claims: o.claims });
  const kinds = new Set(runtime.kinds);
  const unsubscribe = services.onCommitted((e) => {
    if (kinds.has(e.kind) || e.kind === KIND_DELETION) runtime.accept(e, { from: 'home' });
  });
  for (const url of config.remoteRelays) {
    remote.subscribe(
      url,
      (since) => [
        { kinds: [...kinds], since: since - 5 },
        { kinds: [KIND_DELETION], since: since - 5 },
      ],
      (e) => runtime.accept(e, { from: 'remote', url }),
    );
  }

  const broadcast = async (e: NostrEvent) => {
    const r = await services.publish(e, 'internal');
    if (!r.ok) log.warn({ kind: e.kind, message: r.message }, 'dvm: the home relay refused an announcement');
    await Promise.all(config.remoteRelays.map((u) => remote.publish(u, e)));
  };
  // announcement, profile and relay list: published when they change, else the stored one goes to the remote relays
  const publishIfChanged = async (fresh: NostrEvent, stored: NostrEvent | undefined) => {
    if (!sameAnnouncement(stored, fresh)) await broadcast(fresh);
    else await Promise.all(config.remoteRelays.map((u) => remote.publish(u, stored!)));
  };
  // a replacement within the stored one's second would lose to it (equal created_at keeps the lower id)
  const newerThan = (stored: NostrEvent | undefined) => Math.max(Math.floor(Date.now() / 1000), (stored?.created_at ?? 0) + 1);
  // the announcement names the models in use: it is looked at again with each heartbeat (a re-learnt meaning, a trained tagger)
  const announced = new Map<string, NostrEvent | undefined>();
  for (const d of dvms) {
    const author = { authors: [d.key.pubkey], limit: 1 };
    const fresh = announcementEvent(d, config.heartbeatSeconds);
    const stored = services.query([{ kinds: [KIND_HANDLER_INFO], ...author, tags: new Map([['d', [d.spec.id]]]) }])[0];
    await publishIfChanged(fresh, stored);
    announced.set(d.spec.id, sameAnnouncement(stored, fresh) ? stored : fresh);
    const profile = services.query([{ kinds: [KIND_METADATA], ...author }])[0];
    await publishIfChanged(profileEvent(d, newerThan(profile)), profile);
    const relayList = services.query([{ kinds: [KIND_RELAY_LIST], ...author }])[0];
    await publishIfChanged(relayListEvent(d, [relayUrl(), ...config.remoteRelays], newerThan(relayList)), relayList);
  }
  const startedAt = Math.floor(Date.now() / 1000);
  const reannounce = async (d: RunningDvm) => {
    const fresh = announcementEvent(d, config.heartbeatSeconds);
    if (sameAnnouncement(announced.get(d.spec.id), fresh)) return;
    announced.set(d.spec.id, fresh);
    await broadcast(fresh);
  };
  const beat = () => Promise.all(dvms.map(async (d) => (await reannounce(d), await broadcast(heartbeatEvent(d, startedAt, runtime.answered.get(d.key.pubkey) ?? 0)))));
  await beat();
  const heartbeat = setInterval(() => void beat().catch((err: Error) => log.warn({ err: err.message }, 'dvm: heartbeat failed')), config.heartbeatSeconds * 1000);
  heartbeat.unref();
  const pagePrune = setInterval(() => void pages.prune(), 3600_000);
  pagePrune.unref();

  log.info({ dvms: dvms.map((d) => `${d.spec.id}=${d.key.pubkey.slice(0, 12)}`), remote: config.remoteRelays, model: model() }, `dvms: ${dvms.length} running`);
  void signals.ready.then(
    () => log.info({ posts: signals.posts.size, follows: signals.graph.size }, 'dvms: signals loaded'),
    () => {}, // logged by Signals
  );
  return {
    dvms: dvms.map((d) => ({ id: d.spec.id, kind: d.spec.kind, name: d.spec.name, pubkey: d.key.pubkey })),
    signals,
    reannounce: async () => void (await Promise.all(dvms.map(reannounce))),
    async close() {
      clearInterval(heartbeat);
      clearInterval(pagePrune);
      unsubscribe();
      await runtime.close();
      await remote.close();
      signals.close();
      await signals.ready.catch(() => {});
    },
  };
}

export { FEED_KIND as CONTENT_DISCOVERY_KIND };
