import { resolve } from 'node:path';
import { describeKeys } from '../config/doc.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from './log.ts';
import type { Relay } from './relay.ts';
import { configReloads } from './metrics/registry.ts';
import { watchFile } from './util/watchDir.ts';

export interface ConfigWatcherOptions {
  file: string;
  relay: Relay;
  log: Logger;
  /** After hot keys were applied, with their names (section.key). */
  onApplied?: (keys: string[]) => void | Promise<void>;
  debounceMs?: number;
  /** Reads and validates the file; default loadConfig({ file }) (environment overrides included). */
  load?: (file: string) => Config;
}

export type ReloadOutcome =
  | { status: 'applied'; hot: string[]; restartNeeded: string[] }
  | { status: 'unchanged' }
  | { status: 'invalid'; error: string };

export interface ConfigWatcher {
  /** Re-reads the file now (the watcher calls this on change). */
  reload(): Promise<ReloadOutcome>;
  close(): void;
}

type Tree = Record<string, Record<string, unknown>>;
const KEYS = describeKeys().map((k) => ({ key: k.key, hot: k.hot, path: k.key.split('.') as [string, string] }));
const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** `base` with the named keys (section.key) taken from `from`. */
function withKeys(base: Config, keys: string[], from: Config): Config {
  let out = base as unknown as Tree;
  const src = from as unknown as Tree;
  for (const key of keys) {
    const [s, k] = key.split('.') as [string, string];
    out = { ...out, [s]: { ...out[s], [k]: src[s]![k] } };
  }
  return out as unknown as Config;
}

/**
 * Watches the config file the relay started with. On change: re-load and validate; keys marked
 * hot that changed are applied to the running relay (connections stay open); every other changed
 * key gets one log line saying a restart is needed; an invalid file is logged, naming the key,
 * and the running config stays. Changes are measured against the previous version of the file,
 * so CLI overrides (--port, --data) and NIP-86 settings are left alone unless the file changes them.
 */
export function watchConfigFile(options: ConfigWatcherOptions): ConfigWatcher {
  const { relay } = options;
  const file = resolve(options.file);
  const log = options.log.child({ module: 'config' });
  const load = options.load ?? ((f: string) => loadConfig({ file: f }));
  let previous: Config;
  try {
    previous = load(file);
  } catch {
    previous = relay.config;
  }

  let queue: Promise<unknown> = Promise.resolve();
  const reload = (): Promise<ReloadOutcome> => {
    const run = queue.then(() => reloadNow());
    queue = run.catch(() => undefined);
    return run;
  };

  async function reloadNow(): Promise<ReloadOutcome> {
    let next: Config;
    try {
      next = load(file);
    } catch (err) {
      const error = (err as Error).message;
      configReloads.labels('invalid').inc();
      log.error({ file, error }, `config file is invalid, the running config stays: ${error.replaceAll('\n', '; ')}`);
      return { status: 'invalid', error };
    }
    const before = previous as unknown as Tree;
    const after = next as unknown as Tree;
    const hot: string[] = [];
    const restartNeeded: string[] = [];
    for (const { key, hot: isHot, path } of KEYS) {
      if (same(before[path[0]]?.[path[1]], after[path[0]]?.[path[1]])) continue;
      (isHot ? hot : restartNeeded).push(key);
    }
    const policyKeys = hot.filter((k) => k.startsWith('policies.'));
    if (policyKeys.length > 0 && relay.policies.reconfigure) {
      try {
        await relay.policies.reconfigure(withKeys(relay.config, policyKeys, next).policies);
      } catch (err) {
        // Pipelines that cannot be built (a policy file that fails to load) make the file invalid
        // as a whole: nothing of it applies, in one line, as for any other invalid file.
        const error = (err as Error).message;
        configReloads.labels('invalid').inc();
        log.error({ file, error }, `config file is invalid, the running config stays: ${error.replaceAll('\n', '; ')}`);
        return { status: 'invalid', error };
      }
    }
    previous = next;
    for (const key of restartNeeded) log.warn({ key, file }, `config: ${key} changed; restart the relay to apply it`);
    if (hot.length === 0) {
      configReloads.labels(restartNeeded.length ? 'applied' : 'unchanged').inc();
      return restartNeeded.length ? { status: 'applied', hot, restartNeeded } : { status: 'unchanged' };
    }

    const applied = hot;
    // Built from the config running now: a NIP-86 change made during the rebuild stays.
    const config = withKeys(relay.config, applied, next);
    relay.setConfig(config);
    if (applied.includes('log.level')) relay.log.level = config.log.level;
    await options.onApplied?.(applied);
    configReloads.labels('applied').inc();
    log.info({ keys: applied }, `config reloaded: ${applied.join(', ') || 'nothing'} applied`);
    return { status: 'applied', hot: applied, restartNeeded };
  }

  const watcher = watchFile(file, { debounceMs: options.debounceMs ?? 200, log, what: 'config file', changed: () => void reload() });

  return {
    reload,
    close: () => watcher.close(),
  };
}
