import type { Logger } from '../log.ts';
import type { NostrEvent } from '../nostr/types.ts';

export type CommitListener = (event: NostrEvent) => void;

/**
 * The after-commit hooks (policies' `committed`, the DVMs' signals, the labeler): queued by the
 * fan-out and run on a later turn of the event loop, so a slow hook never delays live delivery or
 * the OK of the event that triggered it. A hook that throws is logged and the others still run.
 */
export class CommitHooks {
  private readonly listeners = new Set<CommitListener>();
  private queue: NostrEvent[] = [];
  private waiting: (() => void)[] = [];

  constructor(
    private readonly log: Logger,
    /** Called first for each event (the policy engine's `committed`, which may change). */
    private readonly first: () => CommitListener | undefined,
  ) {}

  add(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(event: NostrEvent): void {
    if (this.queue.push(event) === 1) setImmediate(this.run);
  }

  /** Resolves once every event pushed so far has been through every hook. */
  drain(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private readonly run = (): void => {
    const batch = this.queue;
    this.queue = [];
    for (const event of batch) {
      this.call(this.first(), event);
      for (const listener of this.listeners) this.call(listener, event);
    }
    for (const done of this.waiting.splice(0)) done();
  };

  private call(listener: CommitListener | undefined, event: NostrEvent): void {
    if (!listener) return;
    try {
      listener(event);
    } catch (err) {
      this.log.error({ err, id: event.id }, 'after-commit hook failed');
    }
  }
}
