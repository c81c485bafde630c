import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { describeKeys } from '../config/doc.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { HamletPolicyEngine } from '../policies/index.ts';
import type { Logger } from './log.ts';
import type { Relay } from './relay.ts';
import { configReloads } from './metrics/registry.ts';

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

const hasReconfigure = (p: unknown): p is Pick<HamletPolicyEngine, 'reconfigure'> =>
  typeof (p as { reconfigure?: unknown }).reconfigure === 'function';

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
    previous = next;
    for (const key of restartNeeded) log.warn({ key, file }, `config: ${key} changed; restart the relay to apply it`);
    if (hot.length === 0) {
      configReloads.labels(restartNeeded.length ? 'applied' : 'unchanged').inc();
      return restartNeeded.length ? { status: 'applied', hot, restartNeeded } : { status: 'unchanged' };
    }

    let running = relay.config as unknown as Tree;
    for (const key of hot) {
      const [s, k] = KEYS.find((x) => x.key === key)!.path;
      running = { ...running, [s]: { ...running[s], [k]: after[s]![k] } };
    }
    const config = running as unknown as Config;
    const applied = [...hot];
    if (hot.some((k) => k.startsWith('policies.'))) {
      const engine = relay.policies;
      try {
        if (hasReconfigure(engine)) await engine.reconfigure(config.policies);
      } catch (err) {
        // The engine keeps its old pipelines; so does the config the relay reports.
        (config as { policies: Config['policies'] }).policies = relay.config.policies;
        applied.splice(0, applied.length, ...hot.filter((k) => !k.startsWith('policies.')));
        log.error({ error: (err as Error).message }, `config: policies not applied, the old pipelines stay: ${(err as Error).message}`);
      }
    }
    relay.setConfig(config);
    if (applied.includes('log.level')) relay.log.level = config.log.level;
    await options.onApplied?.(applied);
    configReloads.labels('applied').inc();
    log.info({ keys: applied }, `config reloaded: ${applied.join(', ') || 'nothing'} applied`);
    return { status: 'applied', hot: applied, restartNeeded };
  }

  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    // The directory, not the file: editors replace the file on save, which ends a file watch.
    watcher = watch(dirname(file), (_event, name) => {
      if (name !== null && name.toString() !== basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), options.debounceMs ?? 200);
    });
    watcher.on('error', (err) => log.warn({ error: err.message }, 'config watch failed'));
  } catch (err) {
    log.warn({ file, error: (err as Error).message }, 'cannot watch the config file; hot reload is off');
  }

  return {
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
