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

  constructor(
    private readonly files: PolicyFiles,
    private readonly log: Logger,
    /** The file steps of the pipelines running now. */
    private readonly current: () => FileStep[],
  ) {
    files.watch((file) => void this.reload(file));
  }

  reload(file: string): Promise<void> {
    this.queue = this.queue.then(() => this.changed(file));
    return this.queue;
  }

  /** Reloads every configured file now. */
  async reloadAll(): Promise<void> {
    const seen = new Set<string>();
    for (const f of this.current()) {
      const file = this.files.locate(f.use);
      if (file && !seen.has(file)) {
        seen.add(file);
        void this.reload(file);
      }
    }
    await this.queue;
  }

  /** Resolves once the reloads queued so far are done. */
  settled(): Promise<void> {
    return this.queue;
  }

  private async changed(file: string): Promise<void> {
    const { files } = this;
    let users = this.current().filter((f) => files.locate(f.use) === file);
    // Not a configured file: perhaps a helper that policy files import. Reload them all.
    if (users.length === 0) users = this.current().filter((f) => files.locate(f.use) !== undefined);
    if (users.length === 0) return;
    for (const u of users) {
      let fresh: Policy;
      try {
        fresh = await u.load(files.locate(u.use) ?? file);
      } catch (err) {
        files.failed(file, err);
        continue;
      }
      const old = u.step.current;
      u.step.current = fresh;
      u.step.unavailable = undefined;
      files.loaded(file);
      files.loaded(u.use);
      files.loaded(files.locate(u.use) ?? u.use);
      try {
        await old?.close?.();
      } catch {
        // the old version's close failing must not undo the reload
      }
    }
    this.log.info({ file, steps: users.map((u) => u.step.name) }, 'policy file reloaded');
  }
}
