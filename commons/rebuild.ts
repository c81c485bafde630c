import type { Config } from '../config/schema.ts';
import type { Logger } from '../relay/log.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { PublishResult } from '../relay/services.ts';
import type { Store } from '../relay/store/store.ts';
import { exportDataset, type ExportResult } from './dataset.ts';
import type { DatasetHistory } from './history.ts';
import type { CommonsKey } from './key.ts';
import type { Purpose } from './consent.ts';

export interface Rebuilds {
  /** Rebuilds every configured purpose now (after any run under way); what each did. */
  runNow(): Promise<ExportResult[]>;
  /** Rebuilds one purpose now, configured or not (after any run under way); throws what went wrong. */
  exportNow(purpose: Purpose): Promise<ExportResult>;
  /** No more runs; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

export interface RebuildOptions {
  store: Store;
  config: () => Config;
  history: DatasetHistory;
  key: CommonsKey;
  relayUrl: () => string;
  publish(event: NostrEvent): Promise<PublishResult>;
  log: Logger;
  /** See ExportOptions.mayExport. */
  mayExport?: (event: NostrEvent) => boolean;
}

/**
 * The relay's scheduled rebuilds (commons.rebuildHours): each purpose's dataset is built again,
 * and a new version published only when something changed, so a withdrawal, a deletion or a
 * vanish reaches the next version without an operator. One run at a time.
 */
export function startRebuilds(o: RebuildOptions): Rebuilds {
  let running: Promise<unknown> = Promise.resolve();
  // One build at a time, in the order asked: two builds at once would both take the next version.
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = running.then(work);
    running = next.catch(() => undefined);
    return next;
  };
  const build = async (purpose: Purpose): Promise<ExportResult> => {
    const r = await exportDataset({ store: o.store, config: o.config(), history: o.history, key: o.key, purpose, relayUrl: o.relayUrl(), publish: o.publish, mayExport: o.mayExport });
    if (r.status === 'published') o.log.info({ purpose, version: r.version, records: r.records, added: r.added, removed: r.removed }, `commons: dataset ${purpose} ${r.version} published`);
    return r;
  };
  const run = (): Promise<ExportResult[]> =>
    serial(async () => {
      const out: ExportResult[] = [];
      for (const purpose of o.config().commons.purposes) {
        try {
          out.push(await build(purpose));
        } catch (err) {
          o.log.error({ purpose, err: (err as Error).message }, 'commons: dataset rebuild failed');
        }
      }
      return out;
    });
  const hours = o.config().commons.rebuildHours;
  const timer = hours > 0 ? setInterval(() => void run(), hours * 3_600_000) : undefined;
  // Also a minute after start, so a relay restarted more often than the interval still rebuilds.
  const first = hours > 0 ? setTimeout(() => void run(), 60_000) : undefined;
  timer?.unref();
  first?.unref();
  return {
    runNow: run,
    exportNow: (purpose) => serial(() => build(purpose)),
    stop: async () => {
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
