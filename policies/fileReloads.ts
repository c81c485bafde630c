import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../relay/log.ts';
import type { PolicyFiles } from './loader.ts';
import type { Policy } from './policy.ts';
import type { FileStep } from './steps.ts';

/**
 * Hot reload of operator policy files: a changed file is loaded again and swapped into every
 * step that uses it; a file that fails keeps the old policy running. Reloads run one at a time.
 */
export class FileReloads {
  private queue: Promise<void> = Promise.resolve();
  /** Digest of each file's content at its last reload, so a repeated event is no new reload. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly files: PolicyFiles,
    private readonly log: Logger,
    /** The file steps of the pipelines running now. */
    private readonly current: () => FileStep[],
  ) {
    files.watch((file) => void this.reload(file));
  }

  /** Loads the file again if its content changed since the last reload (`force`: in any case). */
  reload(file: string, force = false): Promise<void> {
    this.queue = this.queue.then(() => this.changed(file, force));
    return this.queue;
  }

  /** Reloads every configured file now. */
  async reloadAll(): Promise<void> {
    for (const file of new Set(this.current().map((f) => f.file))) void this.reload(file, true);
    await this.queue;
  }

  /** Resolves once the reloads queued so far are done. */
  settled(): Promise<void> {
    return this.queue;
  }

  private async changed(file: string, force: boolean): Promise<void> {
    const { files } = this;
    let digest: string;
    try {
      digest = createHash('sha256').update(readFileSync(file)).digest('base64');
    } catch {
      // Deleted or renamed away: what was loaded keeps running (a restart would refuse the config).
      if (this.current().some((f) => f.file === file)) this.log.warn({ file }, 'policy file removed; its loaded version keeps running until the relay restarts');
      return;
    }
    // One save can reach the watcher as several events: the same bytes are loaded (and logged) once.
    if (!force && this.seen.get(file) === digest) return;
    this.seen.set(file, digest);
    let users = this.current().filter((f) => f.file === file);
    // Not a configured file: perhaps a helper that policy files import. Reload them all.
    if (users.length === 0) users = this.current();
    // Load every new version first, then swap them in together (and say so) before the old
    // versions are closed: a call sees either all old or all new.
    const fresh: { u: FileStep; policy: Policy }[] = [];
    const broken = new Set<string>();
    for (const u of users) {
      if (broken.has(u.file)) continue;
      try {
        fresh.push({ u, policy: await u.load(u.file) });
      } catch (err) {
        // One line per broken file; the running version of its steps stays.
        broken.add(u.file);
        files.failed(u.file, err);
      }
    }
    // Pipelines rebuilt meanwhile (a reconfigure) have their own fresh steps: close what was
    // loaded for the replaced ones instead of swapping it in.
    const live = new Set(this.current());
    const old = fresh.map(({ u, policy }) => {
      if (!live.has(u)) return policy;
      const was = u.step.current;
      u.step.current = policy;
      files.loaded(u.file);
      return was;
    });
    const swapped = fresh.filter(({ u }) => live.has(u));
    if (swapped.length > 0) this.log.info({ file, steps: swapped.map(({ u }) => u.step.name) }, 'policy file reloaded');
    for (const p of old) {
      try {
        await p?.close?.();
      } catch {
        // the old version's close failing must not undo the reload
      }
    }
  }
}
