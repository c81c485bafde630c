import type { Config } from '../../config/schema.ts';
import { createPolicyEngine, type HamletPolicyEngine } from '../../policies/index.ts';
import { createLogger, type Logger } from '../../relay/log.ts';
import type { Relay } from '../../relay/relay.ts';
import type { Store } from '../../relay/store/store.ts';
import { openCore, openStore } from '../../relay/core.ts';

/** The data directory opened by a CLI command: the store, and for writers the ingest path. */
export interface LocalData {
  config: Config;
  log: Logger;
  store: Store;
  /** Present when opened with `ingest`: the relay core without a transport. */
  relay?: Relay;
  /** Present when opened with `policies`: the moderation engine (decision log, held events). */
  policies?: HamletPolicyEngine;
  close(): Promise<void>;
}

/** Logs of CLI tools go to stderr, so JSONL on stdout stays clean. */
export function toolLogger(config: Config): Logger {
  return createLogger({ log: { level: config.log.level === 'info' ? 'warn' : config.log.level, pretty: 'never' } }, process.stderr);
}

/**
 * Opens the data directory. With `ingest`, events go through the relay's own ingest path
 * (shape, NIP-40/70 rules, duplicates, verification on the worker pool, the writer), and with
 * `policies` also through the configured write policies, as a client's event would. With
 * `mustExist`, a directory without a database is refused rather than given an empty one.
 * LMDB serialises writers across processes, so this works while the relay runs; the running
 * relay just does not broadcast what another process wrote to its live subscribers.
 */
export async function openLocal(config: Config, opts: { ingest?: boolean; policies?: boolean; log?: Logger; mustExist?: boolean } = {}): Promise<LocalData> {
  const log = opts.log ?? toolLogger(config);
  if (!opts.ingest) {
    const store = openStore(config, { mustExist: opts.mustExist });
    return { config, log, store, close: () => store.close() };
  }
  const core = await openCore(config, log, { mustExist: opts.mustExist });
  let engine: HamletPolicyEngine | undefined;
  if (opts.policies) {
    try {
      engine = await createPolicyEngine(core.services);
    } catch (err) {
      await core.close();
      throw err;
    }
    core.relay.setPolicies(engine);
  }
  return {
    config,
    log,
    store: core.store,
    relay: core.relay,
    policies: engine,
    async close() {
      await core.relay.drain();
      await engine?.close();
      await core.close();
    },
  };
}
