import type { Session } from './session.ts';

/**
 * Flushes every session that queued frames during the current turn, in one microtask:
 * a batch commit that answers 500 clients costs one corked write per client, not one per frame.
 */
export class OutboxScheduler {
  private dirty: Session[] = [];
  private scheduled = false;

  /** `maxBuffered` is read at each flush: limits.maxOutboundBytes is hot-reloadable. */
  constructor(private readonly maxBuffered: () => number, private readonly onSlow: (s: Session, buffered: number) => void) {}

  readonly schedule = (s: Session): void => {
    this.dirty.push(s);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  };

  private readonly flush = (): void => {
    this.scheduled = false;
    const sessions = this.dirty;
    this.dirty = [];
    const max = this.maxBuffered();
    for (const s of sessions) {
      const buffered = s.flush();
      if (buffered > max) this.onSlow(s, buffered);
    }
  };
}
