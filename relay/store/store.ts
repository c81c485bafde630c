import type { Filter, NostrEvent } from '../nostr/types.ts';
import { pino } from 'pino';
import { openEnv, openTables, type Tables } from './env.ts';
import { ensureFormat, type MigrationLog } from './format.ts';
import { tombstoned, type MutationOptions, type WriteOutcome } from './mutations.ts';
import { queryFilters, type ReadContext } from './query.ts';
import type { StoredRecord } from './record.ts';
import { loadById } from './ids.ts';
import { KIND_VANISH } from '../nostr/kinds.ts';
import { Writer } from './writer.ts';
import { WordIndexer } from './wordIndexer.ts';
import { ensureWordsThrough } from './wordsThrough.ts';

export interface StoreOptions extends MutationOptions {
  dataDir: string;
  mapSizeMb: number;
  batchSize: number;
  /** Where a storage migration or a recovery reports (default: JSON lines on stderr, so CLI output stays clean). */
  log?: MigrationLog;
  /** Refuse a data directory without a database instead of creating one (commands that only read or edit). */
  mustExist?: boolean;
  /** How long stored events wait for their NIP-50 words (wordIndexer.ts); tests hold them back. */
  wordIndexDelayMs?: number;
  /** NIP-62: whether a vanish request names this relay. */
  vanishApplies?: (event: NostrEvent) => boolean;
}

/** Events on disk: the tables, the single writer, and the read paths. */
export class Store {
  readonly tables: Tables;
  readonly writer: Writer;
  private readonly words: WordIndexer;

  constructor(private readonly opts: StoreOptions) {
    const log = opts.log ?? pino(pino.destination(2));
    const env = openEnv(opts.dataDir, opts.mapSizeMb, { mustExist: opts.mustExist, onRecovered: (message) => log.info({ dataDir: opts.dataDir }, message) });
    this.tables = openTables(env);
    try {
      ensureFormat(this.tables, opts, log);
      ensureWordsThrough(this.tables);
    } catch (err) {
      void this.tables.env.close();
      throw err;
    }
    const { dataDir, mapSizeMb, searchEnabled } = opts;
    this.writer = new Writer(env, { dataDir, mapSizeMb, searchEnabled, unsearchableKinds: [...opts.unsearchableKinds] }, opts.batchSize);
    this.words = new WordIndexer(this.tables, this.writer, log, opts.wordIndexDelayMs);
    // Words a stopped process left unwritten.
    if (this.words.owed()) this.words.schedule();
  }

  get env() {
    return this.tables.env;
  }

  store(event: NostrEvent, json: string, held = false): Promise<WriteOutcome> {
    const outcome = this.writer.store(event, json, held, event.kind === KIND_VANISH && this.opts.vanishApplies?.(event) === true);
    this.words.schedule();
    return outcome;
  }

  /** Resolves once every record stored so far has its NIP-50 words in the index (wordIndexer.ts). */
  wordsIndexed(): Promise<void> {
    return this.words.flush();
  }

  has(id: string): boolean {
    return loadById(this.tables, id) !== undefined;
  }

  /** Why a deleted event may not come back (NIP-09 tombstone), else undefined; for kinds never stored (ephemeral). */
  tombstoned(event: NostrEvent): string | undefined {
    return tombstoned(this.tables, event);
  }

  getById(id: string): StoredRecord | undefined {
    return loadById(this.tables, id);
  }

  query(filters: Filter[], ctx: ReadContext): StoredRecord[] {
    return queryFilters(this.tables, filters, ctx);
  }

  /** Makes a held event visible; resolves to its event, or undefined if it was not held. */
  release(id: string): Promise<NostrEvent | undefined> {
    return this.writer.write({ op: 'release', id }) as Promise<NostrEvent | undefined>;
  }

  /**
   * Hides a stored event as a held one is hidden (readers skip it; nothing is deleted), so a
   * moderation case can hide an event pending review and `release` can bring it back. Resolves
   * false when the event is absent or already hidden.
   */
  hide(id: string): Promise<boolean> {
    return this.writer.write({ op: 'hide', id }) as Promise<boolean>;
  }

  remove(id: string): Promise<boolean> {
    return this.writer.write({ op: 'remove', id }) as Promise<boolean>;
  }

  sweepExpired(now: number, max = 10_000): Promise<number> {
    return this.writer.write({ op: 'sweepExpired', now, max }) as Promise<number>;
  }

  private closed: Promise<void> | undefined;

  /** Writes what is owed, stops the writer thread and closes the database; once, however often called. */
  close(): Promise<void> {
    return (this.closed ??= (async () => {
      await this.words.close();
      await this.writer.close();
      await this.tables.env.close();
    })());
  }
}
