import type { Logger } from '../relay/log.ts';
import { watchFile, type DirWatch } from '../relay/util/watchDir.ts';
import type { PolicyFiles } from './loader.ts';
import { DEFAULT_RULEBOOK_PATH, loadRulebook, type Rule, type Rulebook } from './rulebook.ts';

/**
 * The village's rulebook as policies see it: read through on every access, so an edit of the
 * file (or a new `policies.rulebook`) applies to running policies. A file that fails to parse is
 * reported like a broken policy file and the last good version stays.
 */
export class LiveRulebook implements Rulebook {
  private book: Rulebook;
  private watcher: DirWatch | undefined;

  constructor(
    path: string,
    private readonly files: PolicyFiles,
    private readonly log: Logger,
  ) {
    this.book = loadRulebook(path || DEFAULT_RULEBOOK_PATH);
    this.watch();
  }

  get path(): string {
    return this.book.path;
  }
  get rules(): readonly Rule[] {
    return this.book.rules;
  }
  get(id: string): Rule | undefined {
    return this.book.get(id);
  }

  /** Switches to another file (a changed `policies.rulebook`); throws if it cannot be read. */
  use(path: string): void {
    this.book = loadRulebook(path || DEFAULT_RULEBOOK_PATH);
    this.watch();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private watch(): void {
    this.watcher?.close();
    const path = this.book.path;
    this.watcher = watchFile(path, {
      debounceMs: 50,
      log: this.log,
      what: 'rulebook',
      changed: () => {
        try {
          this.book = loadRulebook(path);
          this.files.loaded(path);
          this.log.info({ rules: this.book.rules.length }, 'rulebook reloaded');
        } catch (err) {
          this.files.failed(path, err);
        }
      },
    });
  }
}
