import type { Config } from '../../config/schema.ts';
import { acceptAll } from '../policy.ts';
import { createPolicyEngine, type HamletPolicyEngine } from '../../policies/index.ts';
import { createLogger, type Logger } from '../log.ts';
import { Relay } from '../relay.ts';
import type { Store } from '../store/store.ts';
import { openStore, relayServices } from '../wiring.ts';
import { VerifyPool } from '../verify/pool.ts';
import { selectVerifier } from '../verify/select.ts';

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
 * `policies` also through the configured write policies, as a client's event would.
 * LMDB serialises writers across processes, so this works while the relay runs; the running
 * relay just does not broadcast what another process wrote to its live subscribers.
 */
export async function openLocal(config: Config, opts: { ingest?: boolean; policies?: boolean; log?: Logger } = {}): Promise<LocalData> {
  const log = opts.log ?? toolLogger(config);
  const store = openStore(config);
  if (!opts.ingest) return { config, log, store, close: () => store.close() };

  const { verifier } = await selectVerifier(config.verify.verifier);
  const pool = new VerifyPool(verifier.name as Config['verify']['verifier'], config.verify.threads);
  const relay = new Relay(config, log, store, pool, acceptAll);
  let engine: HamletPolicyEngine | undefined;
  if (opts.policies) {
    const services = relayServices(config, log, store, relay);
    try {
      engine = await createPolicyEngine(services);
    } catch (err) {
      await pool.close();
      await store.close();
      throw err;
    }
    relay.setPolicies(engine);
  }
  return {
    config,
    log,
    store,
    relay,
    policies: engine,
    async close() {
      await store.writer.drain();
      await engine?.close();
      await pool.close();
      await store.close();
    },
  };
}
