import type { Config } from '../config/schema.ts';
import type { PolicyEngine } from '../relay/policy.ts';
import { createPolicyEngine } from '../policies/index.ts';
import { openModels, type Models } from '../models/index.ts';
import { createLogger, type Logger } from '../relay/log.ts';
import type { Relay } from '../relay/relay.ts';
import type { RelayServices } from '../relay/services.ts';
import { openCore } from '../relay/core.ts';
import { createHttpHandler, type Route } from '../relay/server/routes.ts';
import { loadUws, startUws } from '../relay/server/uwsTransport.ts';
import { startWs } from '../relay/server/wsTransport.ts';
import { transportPayloadLimit, type Transport } from '../relay/server/transport.ts';
import { startExpirySweeper } from '../relay/store/sweeper.ts';
import { RelaySettings, type SettingKey } from '../relay/management/settings.ts';
import { managementRoute } from '../relay/management/route.ts';
import { metricsRoute } from '../relay/metrics/route.ts';
import { timedClassifier } from '../relay/metrics/timed.ts';
import { watchConfigFile, type ConfigWatcher } from '../relay/configWatcher.ts';
import { startDvms, type DvmsOptions, type RunningDvms } from '../dvms/index.ts';
import { Labeler } from '../dvms/labels/labeler.ts';
import { tagDvmSpecs } from '../dvms/tagging/index.ts';

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
  /** Graceful stop: refuse new connections, finish writes in flight, close LMDB. */
  close(): Promise<void>;
}

/** Opens storage, starts the verifier pool, the policies and the transport: one running relay. */
export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const { config } = options;
  const log = options.log ?? createLogger(config);

  // Verifier threads load while the rest starts; awaited before the relay listens (see below).
  const core = await openCore(config, log);
  const { store, relay, services, verifier } = core;
  log.info({ verifier: verifier.name, skipped: verifier.skipped.map((s) => `${s.name}: ${s.reason}`) }, `signature verifier: ${verifier.name}`);
  // NIP-86 changes to name/description/icon outlive restarts; they apply over the file config.
  const settings = new RelaySettings(store.env);
  relay.setConfig(settings.apply(config));

  let models: Models | undefined;
  let policies: PolicyEngine | undefined;
  let transport: Transport | undefined;
  let sweeper: { stop(): void } | undefined;
  try {
    models = await (options.models ?? ((c, l) => openModels(c.models, { log: l })))(config, log);
    const classifier = models?.toxicity && timedClassifier(models.toxicity);
    policies = await (options.policies ?? ((s) => createPolicyEngine(s, { classifier })))(services);
    relay.setPolicies(policies);
    sweeper = startExpirySweeper(store, config.storage.expirySweepSeconds, log);
    await core.ready;
    const http = createHttpHandler(relay, [...(options.routes?.(relay, services) ?? []), managementRoute(relay, settings), metricsRoute()]);
    const transportOptions = {
      host: config.relay.host,
      port: config.relay.port,
      relay,
      http,
      maxPayloadBytes: transportPayloadLimit(config.limits.maxMessageBytes),
      maxBackpressureBytes: config.limits.maxOutboundBytes,
    };
    const uws = config.relay.transport === 'ws' ? { reason: 'relay.transport = "ws"' } : loadUws();
    if (uws.uws) transport = await startUws(uws.uws, transportOptions);
    else {
      if (config.relay.transport === 'uws') throw new Error(`relay.transport = "uws" but ${uws.reason}`);
      log.warn(`transport: ws fallback (${uws.reason})`);
      transport = await startWs(transportOptions);
    }
  } catch (err) {
    sweeper?.stop();
    await policies?.close?.();
    await models?.close();
    await core.close();
    throw err;
  }

  const host = config.relay.host.includes(':') ? `[${config.relay.host}]` : config.relay.host;
  const url = `ws://${host}:${transport.port}`;
  // With port 0 the real port is only known now; NIP-42/62 checks need it.
  if (!config.relay.url) relay.setConfig({ ...relay.config, relay: { ...relay.config.relay, url } });
  log.info({ url, transport: transport.name, dataDir: config.storage.dataDir }, `relay listening on ${url}`);
  let labeler: Labeler | undefined;
  if (options.labeler ?? config.labels.enabled) {
    try {
      labeler = new Labeler({ services, relayUrl: () => relay.url, embedder: models?.embedder, toxicity: models?.toxicity }).start();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'labeler: cannot start; the relay runs without it');
    }
  }
  const dvmsOption = options.dvms ?? config.dvms.enabled;
  let dvms: RunningDvms | undefined;
  if (dvmsOption !== false) {
    const custom = typeof dvmsOption === 'object' ? dvmsOption : {};
    try {
      dvms = await startDvms({ extra: (ctx) => tagDvmSpecs(ctx, labeler?.tagger), ...custom, labelers: [...(custom.labelers ?? []), ...(labeler ? [labeler.key.pubkey] : [])], config: { ...(custom.config ?? config.dvms), enabled: true }, services, relayUrl: () => relay.url, models });
    } catch (err) {
      // the relay serves without its DVMs rather than not at all
      log.error({ err: (err as Error).message }, 'dvms: cannot start; the relay runs without them');
    }
  }
  // The file now says what these keys are: a NIP-86 override of them is dropped.
  const forgetSettings = (keys: string[]) =>
    Promise.all(keys.filter((k) => /^relay\.(name|description|icon)$/.test(k)).map((k) => settings.forget(k.slice(6) as SettingKey)));
  const configWatcher: ConfigWatcher | undefined = options.configFile
    ? watchConfigFile({ file: options.configFile, relay, log, onApplied: async (keys) => void (await forgetSettings(keys)) })
    : undefined;

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
    close: () =>
      (closing ??= (async () => {
        log.info('relay stopping');
        await labeler?.close();
        await dvms?.close();
        await transport.close();
        configWatcher?.close();
        sweeper.stop();
        // Events received before the listener closed are verified and written before anything stops.
        await relay.drain();
        await policies.close?.();
        await models?.close();
        await core.close();
        log.info('relay stopped');
      })()),
  };
}
