import type { Config } from '../config/schema.ts';
import type { Logger } from './log.ts';
import type { Relay } from './relay.ts';
import type { RelayServices } from './services.ts';
import { Store } from './store/store.ts';
import { sameRelay } from './nostr/relayUrl.ts';
import type { NostrEvent } from './nostr/types.ts';

/** The store of a data directory, as the relay and the CLI tools both open it. */
export function openStore(config: Config, relayUrl: () => string = () => config.relay.url): Store {
  return new Store({
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
  return {
    config,
    log,
    env: store.env,
    query: (filters) => store.query(filters, { now: Math.floor(Date.now() / 1000) }).map((r) => r.event()),
    getById: (id) => store.getById(id)?.event(),
    publish: (event, source = 'internal') => relay.ingest.submit(event, source),
    onCommitted: (listener) => relay.onCommitted(listener),
    releaseHeld: async (id) => {
      const event = await store.release(id);
      if (!event) return false;
      relay.broadcast(event, JSON.stringify(event));
      return true;
    },
    removeEvent: (id) => store.remove(id),
  };
}
