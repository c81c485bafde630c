import type { Config } from '../config/schema.ts';
import type { Logger } from './log.ts';
import { Relay } from './relay.ts';
import type { RelayServices } from './services.ts';
import { acceptAll } from './policy.ts';
import { Store } from './store/store.ts';
import { sameRelay } from './nostr/relayUrl.ts';
import type { NostrEvent } from './nostr/types.ts';
import { VerifyPool } from './verify/pool.ts';
import { selectVerifier } from './verify/select.ts';

export interface OpenStoreOptions {
  /** The relay's URL, for NIP-62 requests (default: relay.url). */
  relayUrl?: () => string;
  /** Refuse a data directory without a database instead of creating an empty one (commands that read). */
  mustExist?: boolean;
}

/** The store of a data directory, as the relay and the CLI tools both open it. */
export function openStore(config: Config, opts: OpenStoreOptions = {}): Store {
  const relayUrl = opts.relayUrl ?? (() => config.relay.url);
  return new Store({
    mustExist: opts.mustExist,
    dataDir: config.storage.dataDir,
    mapSizeMb: config.storage.mapSizeMb,
    batchSize: config.storage.batchSize,
    searchEnabled: config.nips.search,
    unsearchableKinds: new Set(config.nips.restrictedKinds),
    vanishApplies: (e: NostrEvent) =>
      config.nips.vanish &&
      e.tags.some((t) => t[0] === 'relay' && t[1] !== undefined && (t[1] === 'ALL_RELAYS' || sameRelay(t[1], relayUrl()))),
  });
}

/** The narrow interface policies, DVMs and tools get (relay/services.ts), over one relay core. */
export function relayServices(config: Config, log: Logger, store: Store, relay: Relay): RelayServices {
  let modelRule = (_event: NostrEvent): boolean => true;
  return {
    config,
    log,
    env: store.env,
    query: (filters) => store.query(filters, { now: Math.floor(Date.now() / 1000) }).map((r) => r.event()),
    getById: (id) => store.getById(id)?.event(),
    publish: (event, source = 'internal') => relay.submit(event, source),
    onCommitted: (listener) => relay.onCommitted(listener),
    releaseHeld: async (id) => {
      const event = await store.release(id);
      if (!event) return false;
      relay.broadcast(event, JSON.stringify(event));
      return true;
    },
    removeEvent: (id) => store.remove(id),
    modelMayRead: (event) => modelRule(event),
    setModelReadRule: (rule) => void (modelRule = rule),
  };
}

/** A relay core without a transport: storage, the verifier pool, the ingest path and fan-out. */
export interface Core {
  store: Store;
  pool: VerifyPool;
  relay: Relay;
  services: RelayServices;
  /** The verifier that runs, and those skipped with why. */
  verifier: { name: string; skipped: { name: string; reason: string }[] };
  /** Every verifier thread has loaded its verifier (rejects if one cannot). */
  ready: Promise<void>;
  /** Finishes writes in flight and hooks, then closes the pool and the store. */
  close(): Promise<void>;
}

/**
 * Opens the core the relay and the writing CLI commands share. Policies start as accept-all;
 * the caller sets the engine once it is built over `services`.
 */
export async function openCore(config: Config, log: Logger, opts: Pick<OpenStoreOptions, 'mustExist'> = {}): Promise<Core> {
  const { verifier, skipped } = await selectVerifier(config.verify.verifier);
  // NIP-62 requests are matched against the relay's URL, known once it listens.
  const store = openStore(config, { relayUrl: () => relay.url, mustExist: opts.mustExist });
  const pool = new VerifyPool(verifier.name as Config['verify']['verifier'], config.verify.threads, verifier);
  const ready = pool.ready();
  ready.catch(() => undefined);
  const relay = new Relay(config, log, store, pool, acceptAll);
  return {
    store,
    pool,
    relay,
    services: relayServices(config, log, store, relay),
    verifier: { name: verifier.name, skipped },
    ready,
    async close() {
      await relay.drain();
      await pool.close();
      await store.close();
    },
  };
}
