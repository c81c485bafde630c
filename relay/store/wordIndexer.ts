import type { MigrationLog } from './format.ts';
import type { Tables } from './env.ts';
import type { Writer } from './writer.ts';
import { wordsOwed } from './wordsThrough.ts';

/** How long stored events wait for their words: long enough to gather a busy moment's events. */
const DELAY_MS = 100;
/**
 * Records whose words one transaction writes (~10-20 words each, 5-10 ms of work): under load one
 * chunk goes with each commit of the writer, so this bounds how fast the index keeps up (about
 * 25,000 events/s at a commit every 20 ms).
 */
const CHUNK = 500;
/**
 * The least one transaction writes while words are owed. A transaction of a few hundred records'
 * words took 5-20 ms, and every OK queued behind it waited that long (30 of 2,200 transactions in
 * the closed-loop benchmark, and its p99); 48 records take 1-2 ms.
 */
const MIN_CHUNK = 48;
/** The same when nothing else waits on the writer (flush, close): fewer commits. */
const FLUSH_CHUNK = 5_000;
/** After a failed write (a full disk), the next try. */
const RETRY_MS = 5_000;

/**
 * Writes the NIP-50 words of stored events after their commit (wordsThrough.ts), in chunks that
 * take turns with the writer's other transactions. Stored events are searchable meanwhile: a search
 * reads the records above the mark itself (words.ts).
 */
export class WordIndexer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Stored events noted while a run was finishing: another run follows it. */
  private again = false;
  private closing = false;

  constructor(
    private readonly t: Tables,
    private readonly writer: Writer,
    private readonly log: MigrationLog,
    private readonly delayMs = DELAY_MS,
  ) {}

  /** Events were stored (or a database was opened with some left): their words follow shortly. */
  schedule(delayMs = this.delayMs): void {
    if (this.closing || this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run(CHUNK);
    }, delayMs);
    this.timer.unref();
  }

  private run(chunk: number): Promise<void> {
    this.running ??= this.indexAll(chunk).then((failed) => {
      this.running = undefined;
      const again = this.again;
      this.again = false;
      if (failed) this.schedule(RETRY_MS);
      else if (again) this.schedule();
    });
    return this.running;
  }

  /** Writes every word still owed, a chunk per transaction; true if a write failed. */
  private async indexAll(chunk: number): Promise<boolean> {
    try {
      // What a quiet relay gathers in a tenth of a second goes in several short transactions, so
      // no OK waits long behind one; a backlog goes in full chunks. At least one goes: stores
      // still being committed are not in this thread's snapshot yet.
      let owed = wordsOwed(this.t);
      do owed = (await this.writer.write({ op: 'indexWords', max: Math.min(chunk, Math.max(MIN_CHUNK, Math.ceil(owed / 4))) })) as number;
      while (owed > 0);
      return false;
    } catch (err) {
      (this.log.warn ?? this.log.info).call(this.log, { err }, 'search words not indexed yet; retrying');
      return true;
    }
  }

  /** Whether some stored records' words are not in the index yet. */
  owed(): boolean {
    return wordsOwed(this.t) > 0;
  }

  /** Writes what is owed now, without waiting for the timer. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.owed()) await this.run(FLUSH_CHUNK);
  }

  /** Stops scheduling and writes what is owed (a relay or a tool closing its store). */
  close(): Promise<void> {
    this.closing = true;
    return this.flush();
  }
}
