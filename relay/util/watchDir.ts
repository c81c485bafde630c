import { watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../log.ts';

export interface DirWatchOptions {
  /** Which file names in the directory matter. */
  accept(name: string): boolean;
  /** Called once per burst of writes to a file (its full path). */
  changed(file: string): void;
  /** Quiet time after the last write of a burst. */
  debounceMs: number;
  log: Logger;
  /** What is watched, for the log ("config file", "policy directory"). */
  what: string;
}

export interface DirWatch {
  close(): void;
}

/**
 * Watches a directory rather than a file: editors replace files on save, which ends a watch on
 * the file itself. Writes come in bursts, so each file's change is reported after a quiet spell.
 * A directory that cannot be watched is logged, and the returned watch does nothing.
 */
export function watchDir(dir: string, o: DirWatchOptions): DirWatch {
  const timers = new Map<string, NodeJS.Timeout>();
  try {
    const watcher = watch(dir, (_event, name) => {
      if (name === null || !o.accept(name.toString())) return;
      const file = join(dir, name.toString());
      clearTimeout(timers.get(file));
      timers.set(
        file,
        setTimeout(() => {
          timers.delete(file);
          o.changed(file);
        }, o.debounceMs),
      );
    });
    watcher.on('error', (err) => o.log.warn({ dir, err: err.message }, `${o.what}: watch failed`));
    return {
      close() {
        watcher.close();
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
      },
    };
  } catch (err) {
    o.log.warn({ dir, err: (err as Error).message }, `${o.what}: cannot watch; changes need a restart`);
    return { close() {} };
  }
}

/** Watches one file through its directory (see watchDir). */
export function watchFile(file: string, o: Omit<DirWatchOptions, 'accept' | 'changed'> & { changed(): void }): DirWatch {
  const name = basename(file);
  return watchDir(dirname(file), { ...o, accept: (n) => n === name, changed: () => o.changed() });
}
