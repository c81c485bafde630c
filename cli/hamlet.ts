import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { PolicyEngine } from '../relay/policy.ts';
import { createPolicyEngine, loadRulebook, type HamletPolicyEngine, type Stage } from '../policies/index.ts';
import { loadCheckedConfig } from '../policies/validate.ts';
import { openModels, wordingEmbedder, type MeaningTrainer, type Models } from '../models/index.ts';
import { VERSION } from '../relay/nip11.ts';
import { rulebookRoute } from '../relay/server/rulebookRoute.ts';
import { createLogger, type Logger } from '../relay/log.ts';
import type { Relay } from '../relay/relay.ts';
import type { RelayServices } from '../relay/services.ts';
import { openCore } from '../relay/core.ts';
import { createHttpHandler, type Route } from '../relay/server/routes.ts';
import { loadUws, startUws } from '../relay/server/uwsTransport.ts';
import { transportPayloadLimit, type Transport } from '../relay/server/transport.ts';
import { startExpirySweeper } from '../relay/store/sweeper.ts';
import { RelaySettings, type SettingKey } from '../relay/management/settings.ts';
import { managementRoute } from '../relay/management/route.ts';
import { metricsRoute } from '../relay/metrics/route.ts';
import { timedClassifier } from '../relay/metrics/timed.ts';
import { watchConfigFile, type ConfigWatcher } from '../relay/configWatcher.ts';
// What the configuration switches off is never loaded: the DVMs, the labeler, moderation and the
// commons are imported (dynamic import(): chunks of their own in the bundle) only when on.
import type { DvmsOptions, RunningDvms } from '../dvms/index.ts';
import type { Labeler } from '../dvms/labels/labeler.ts';
import type { VillageModeration } from '../moderation/index.ts';
import type { Rebuilds } from '../commons/index.ts';
import { lockDataDir } from './dataDirLock.ts';
import { insightMethods } from './tools/insightMethods.ts';
import { startPages, type Pages } from '../pages/index.ts';
import { storeStats } from './tools/stats.ts';
import { explainListenFailure } from './listenError.ts';
import { PRIVATE_KINDS } from '../relay/nostr/kinds.ts';
import { fastVerifierAdvice } from '../relay/verify/advice.ts';
import { datasetRule, GroupHost, loadOrCreateRelayKey, wikiCatalog, wikiRoute } from '../groups/index.ts';
import { groupCaseDecision } from './groupCases.ts';
import { startCluster, workerModels, type RunningCluster } from '../cluster/index.ts';
import type { RunningMirrors } from '../federation/index.ts';

export interface RelayOptions {
  config: Config;
  log?: Logger;
  /** Opens the local models; default: as configured (undefined: run without models). */
  models?: (config: Config, log: Logger) => Promise<Models | undefined>;
  /** Builds the policy engine once storage is open; default: the configured policies. */
  policies?: (services: RelayServices) => Promise<PolicyEngine>;
  /** More HTTP routes on the relay's port (management API, metrics), tried before the built-ins. */
  routes?: (relay: Relay, services: RelayServices) => Route[];
  /** The TOML file the config came from: watched, and its hot keys applied on change. */
  configFile?: string;
  /** The DVMs (dvms/): true/false switches them on/off whatever dvms.enabled says; default: as configured. */
  dvms?: boolean | Pick<DvmsOptions, 'config' | 'extra' | 'labelers'>;
  /** The village labeler (dvms/labels): true/false switches it on/off whatever labels.enabled says. */
  labeler?: boolean;
}

export interface RunningRelay {
  /** ws://127.0.0.1:PORT (the address actually bound). */
  url: string;
  port: number;
  transport: 'uws' | 'ws';
  verifier: string;
  relay: Relay;
  services: RelayServices;
  models?: Models;
  /** The running DVMs, when on. */
  dvms?: RunningDvms;
  /** The village labeler, when on. */
  labeler?: Labeler;
  /** Village moderation (reports, cases, appeals), when on. */
  moderation?: VillageModeration;
  /** The commons' dataset rebuilds (commons/), when on. */
  commons?: Rebuilds;
  /** NIP-29 groups and the NIP-54 wiki (groups/): their checks run whatever groups.enabled says. */
  groups?: GroupHost;
  /** This node's side of the cluster (cluster/), when cluster.enabled. */
  cluster?: RunningCluster;
  /** Streams to other relays (federation/), when streams.mirrors lists any. */
  mirrors?: RunningMirrors;
  /** Learns the village's meaning model in the background (when feeds or labels are on). */
  meaning?: MeaningTrainer;
  /** What runs, for the start banner and the `relay started` log line. */
  summary: StartSummary;
  /** Graceful stop: refuse new connections, finish writes in flight, close LMDB. */
  close(): Promise<void>;
}

/** What a started relay runs: the start banner (cli/banner.ts) and one log line say it. */
export interface StartSummary {
  version: string;
  /** Where it listens (the address bound). */
  url: string;
  /** relay.url, when set (behind a proxy, what clients use). */
  publicUrl?: string;
  transport: 'uws' | 'ws';
  verifier: string;
  /** Absolute. */
  dataDir: string;
  /** Step names per stage, in order; undefined when the engine cannot tell (a custom one). */
  policies?: Record<Stage, string[]>;
  dvms: { name: string; kind: number }[];
  labeler: boolean;
  /** The models, and what uses them at start (nothing: their worker threads start on first use). */
  models?: { embedding: string; toxicity: string; usedBy: string[] };
}

/** Whether policy entries (combinators' nested entries included) use this built-in. */
function usesPolicy(entries: unknown, name: string): boolean {
  if (!Array.isArray(entries)) return false;
  return entries.some((e) => {
    const entry = e as { use?: unknown; options?: { policies?: unknown } } | null;
    return entry?.use === name || usesPolicy(entry?.options?.policies, name);
  });
}

/** Opens storage, starts the verifier pool, the policies and the transport: one running relay. */
export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const { config } = options;
  const log = options.log ?? createLogger(config);
  // Config files written before seals and rumors were private by default still list only 4 and 1059.
  const readable = PRIVATE_KINDS.filter((k) => !config.nips.restrictedKinds.includes(k));
  if (readable.length > 0) {
    log.warn({ kinds: readable }, `nips.restrictedKinds leaves private kinds ${readable.join(', ')} readable by anyone; add them so only their parties read them`);
  }

  // One relay per data directory: taken before the database is opened (or migrated).
  const lock = await lockDataDir(config.storage.dataDir);
  // Verifier threads load while the rest starts; awaited before the relay listens (see below).
  let core: Awaited<ReturnType<typeof openCore>>;
  try {
    core = await openCore(config, log);
  } catch (err) {
    await lock.release();
    throw err;
  }
  const { store, relay, services, verifier } = core;
  log.info({ verifier: verifier.name, skipped: verifier.skipped.map((s) => `${s.name}: ${s.reason}`) }, `signature verifier: ${verifier.name}`);
  const advice = fastVerifierAdvice(verifier.name);
  if (advice) log.warn({ verifier: verifier.name }, `signature verifier: ${verifier.name}; ${advice}`);
  // NIP-86 changes to name/description/icon outlive restarts; they apply over the file config.
  const settings = new RelaySettings(store.env);
  relay.setConfig(settings.apply(config));

  const labelerOn = options.labeler ?? config.labels.enabled;
  const dvmsOption = options.dvms ?? config.dvms.enabled;
  // Models load in every worker at start only when something uses them now; otherwise the worker
  // threads start with the first inference (say, a toxicity policy added by a hot reload).
  const p = config.policies;
  const modelUsers = [
    ...(dvmsOption !== false ? ['DVMs'] : []),
    ...(labelerOn ? ['labeler'] : []),
    ...(usesPolicy([...p.connection, ...p.write, ...p.read, ...p.broadcast, ...p.auth], 'toxicity') ? ['toxicity policy'] : []),
  ];
  let models: Models | undefined;
  let policies: PolicyEngine | undefined;
  let engine: HamletPolicyEngine | undefined;
  let transport: Transport | undefined;
  let sweeper: { stop(): void } | undefined;
  let moderation: VillageModeration | undefined;
  let commons: Rebuilds | undefined;
  let pages: Pages | undefined;
  const running: { dvms?: RunningDvms; summary?: StartSummary } = {};
  let groups: GroupHost | undefined;
  let cluster: RunningCluster | undefined;
  try {
    // in a cluster whose model work runs on worker nodes, this node keeps no model threads
    const configured = (c: Config, l: Logger) => (c.cluster.enabled && c.cluster.models === 'workers' ? workerModels(c) : openModels(c.models, { log: l, warmUp: modelUsers.length > 0 }));
    models = await (options.models ?? configured)(config, log);
    const classifier = models?.toxicity && timedClassifier(models.toxicity);
    policies = await (options.policies ?? (async (s) => (engine = await createPolicyEngine(s, { classifier }))))(services);
    const moderationModule = config.moderation.enabled ? await import('../moderation/index.ts') : undefined;
    if (moderationModule) {
      // Village moderation screens what the write policies let through (reports, appeals, votes) and opens cases for what they hold.
      moderation = new moderationModule.VillageModeration({ services, config: () => relay.config, relayUrl: () => relay.url, rules: () => rules(), hide: (id) => store.hide(id), moderator: policies.moderator, decisions: engine?.decisions, embedder: models && wordingEmbedder(models.embedder) });
      policies = moderation.guard(policies);
    }
    // NIP-29 groups and the NIP-54 wiki: their checks around the policies, always (with groups off, `h` events are
    // refused and private groups kept before stay private); the relay's own key signs group state.
    groups = new GroupHost({ services, config: () => relay.config, key: loadOrCreateRelayKey(config), moderated: moderation && groupCaseDecision(moderation, () => rules()) });
    policies = groups.guard(policies);
    relay.self = groups.pubkey;
    relay.setPolicies(policies);
    sweeper = startExpirySweeper(store, config.storage.expirySweepSeconds, log);
    await core.ready;
    // The live rulebook when the village's engine runs, else the configured file as it is now.
    let fileRules: ReturnType<typeof loadRulebook> | undefined;
    const rules = () => engine?.rulebook().rules ?? (fileRules ??= loadRulebook(config.policies.rulebook)).rules;
    // The commons: its signer and version history, read by its page, its NIP-86 methods and its scheduled rebuilds.
    const commonsModule = config.commons.enabled ? await import('../commons/index.ts') : undefined;
    const commonsParts = commonsModule && (() => {
      const key = commonsModule.loadOrCreateCommonsKey(commonsModule.commonsKeyFile(config));
      const history = new commonsModule.DatasetHistory(store.env);
      const rebuilds = commonsModule.startRebuilds({ store, config: () => relay.config, key, history, relayUrl: () => relay.url, publish: (e) => services.publish(e, 'internal'), log, mayExport: datasetRule((id) => groups?.state.get(id)) });
      return { module: commonsModule, key, history, rebuilds };
    })();
    commons = commonsParts?.rebuilds;
    // Before the transport opens: every OK this node gives waits for the cluster stream.
    if (config.cluster.enabled) cluster = await startCluster(config, relay, log);
    // The console and the member page read what starts after the transport (DVMs, the summary) through `running`.
    pages = startPages({ relay, services, engine, moderation, rules, dvms: () => running.dvms, summary: () => running.summary, storage: () => storeStats(store, 5) });
    const http = createHttpHandler(relay, [
      ...(options.routes?.(relay, services) ?? []),
      ...pages.routes,
      ...(commonsParts ? [commonsParts.module.commonsRoute(() => relay.config, commonsParts.key.pubkey, commonsParts.history)] : []),
      managementRoute(relay, settings, new Map([...(moderationModule && moderation ? moderationModule.caseMethods(moderation) : []), ...(commonsParts ? commonsParts.module.datasetMethods(commonsParts.rebuilds, commonsParts.history) : []), ...insightMethods(store, () => relay.config)])),
      metricsRoute(relay),
      rulebookRoute(rules, () => relay.config.relay.name),
      ...(config.groups.wiki ? [wikiRoute(() => relay.config.relay.name, () => wikiCatalog(services.query))] : []),
    ]);
    const transportOptions = {
      host: config.relay.host,
      port: config.relay.port,
      relay,
      http,
      maxPayloadBytes: transportPayloadLimit(config.limits.maxMessageBytes),
      maxBackpressureBytes: config.limits.maxOutboundBytes,
    };
    const uws = config.relay.transport === 'ws' ? { reason: 'relay.transport = "ws"' } : loadUws();
    if (!uws.uws && config.relay.transport === 'uws') throw new Error(`relay.transport = "uws" but ${uws.reason}`);
    if (!uws.uws) log.warn(`transport: ws fallback (${uws.reason})`);
    try {
      // the ws package loads only for this fallback
      transport = uws.uws ? await startUws(uws.uws, transportOptions) : await (await import('../relay/server/wsTransport.ts')).startWs(transportOptions);
    } catch (err) {
      throw await explainListenFailure(err, config.relay.host, config.relay.port);
    }
  } catch (err) {
    pages?.close();
    await cluster?.stop();
    sweeper?.stop();
    await commons?.stop();
    await policies?.close?.();
    await models?.close();
    await core.close();
    await lock.release();
    throw err;
  }

  const host = config.relay.host.includes(':') ? `[${config.relay.host}]` : config.relay.host;
  const url = `ws://${host}:${transport.port}`;
  // With port 0 the real port is only known now; NIP-42/62 checks need it.
  if (!config.relay.url) relay.setConfig({ ...relay.config, relay: { ...relay.config.relay, url } });
  log.info({ url, transport: transport.name, dataDir: config.storage.dataDir }, `relay listening on ${url}`);
  let labeler: Labeler | undefined;
  if (labelerOn) {
    try {
      const { Labeler } = await import('../dvms/labels/labeler.ts');
      labeler = new Labeler({ services, relayUrl: () => relay.url, embedder: models?.embedder, toxicity: models?.toxicity }).start();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'labeler: cannot start; the relay runs without it');
    }
  }
  // Streams to other relays connect (and retry) on their own.
  const mirrors = config.streams.mirrors.length > 0 ? (await import('../federation/index.ts')).startMirrors(config, relay, log) : undefined;
  let dvms: RunningDvms | undefined;
  if (dvmsOption !== false) {
    const custom = typeof dvmsOption === 'object' ? dvmsOption : {};
    try {
      const [{ startDvms }, { tagDvmSpecs }] = await Promise.all([import('../dvms/index.ts'), import('../dvms/tagging/index.ts')]);
      dvms = await startDvms({ extra: (ctx) => tagDvmSpecs(ctx, labeler?.tagger), ...custom, labelers: [...(custom.labelers ?? []), ...(labeler ? [labeler.key.pubkey] : [])], config: { ...(custom.config ?? config.dvms), enabled: true }, services, relayUrl: () => relay.url, models, claims: cluster?.claims });
    } catch (err) {
      // the relay serves without its DVMs rather than not at all
      log.error({ err: (err as Error).message }, 'dvms: cannot start; the relay runs without them');
    }
  }
  // The meaning model is learnt from the village's posts when something reads embeddings (feeds, labels).
  // A new model (the embedders have taken it up, and the DVMs' signals embed their window again):
  // the tagger is retrained over it and recent posts are relabelled, in the background.
  const onTrained = async () => {
    if (!labeler || !config.labels.topic) return;
    const { retrainTags } = await import('../dvms/labels/retrainTags.ts');
    await retrainTags(services, labeler.embedding);
    await labeler.relabel();
    await dvms?.reannounce();
  };
  const meaning = (dvms || labeler) && config.models.meaning.enabled ? new (await import('../models/meaning/trainer.ts')).MeaningTrainer({ services, config: config.models, log, onTrained }).start() : undefined;
  // The file now says what these keys are: a NIP-86 override of them is dropped.
  const forgetSettings = (keys: string[]) =>
    Promise.all(keys.filter((k) => /^relay\.(name|description|icon)$/.test(k)).map((k) => settings.forget(k.slice(6) as SettingKey)));
  const configWatcher: ConfigWatcher | undefined = options.configFile
    ? watchConfigFile({
        file: options.configFile,
        relay,
        log,
        // Checked as at start: a policy problem is one "config file is invalid" line, and nothing changes.
        load: (file) => loadCheckedConfig({ file }),
        onApplied: async (keys) => void (await forgetSettings(keys)),
      })
    : undefined;

  running.dvms = dvms;
  const summary: StartSummary = {
    version: VERSION,
    url,
    ...(config.relay.url && config.relay.url !== url ? { publicUrl: config.relay.url } : {}),
    transport: transport.name,
    verifier: verifier.name,
    dataDir: resolve(config.storage.dataDir),
    policies: engine?.describe(),
    dvms: (dvms?.dvms ?? []).map(({ name, kind }) => ({ name, kind })),
    labeler: labeler !== undefined,
    models: models && { embedding: models.embedder.info.id, toxicity: models.toxicity.info.id, usedBy: modelUsers },
  };
  running.summary = summary;
  log.info(summary, 'relay started');

  let closing: Promise<void> | undefined;
  return {
    url,
    port: transport.port,
    transport: transport.name,
    verifier: verifier.name,
    relay,
    services,
    models,
    dvms,
    labeler,
    moderation,
    commons,
    groups,
    meaning,
    cluster,
    mirrors,
    summary,
    close: () =>
      (closing ??= (async () => {
        log.info('relay stopping');
        await meaning?.close();
        await mirrors?.stop();
        await labeler?.close();
        await moderation?.close();
        await groups?.close();
        await commons?.stop();
        await dvms?.close();
        await transport.close();
        pages?.close();
        configWatcher?.close();
        sweeper.stop();
        // Events received before the listener closed are verified and written before anything stops.
        await relay.drain();
        // After the drain: the last events accepted are on the stream before the node leaves it.
        await cluster?.stop();
        await policies.close?.();
        await models?.close();
        await core.close();
        await lock.release();
        log.info('relay stopped');
      })()),
  };
}
