import type { Logger } from '../../relay/log.ts';
import type { RelayServices } from '../../relay/services.ts';
import { runInWorker } from '../../relay/util/tsPool.ts';
import type { ModelsConfig } from '../../config/sections/models.ts';
import { collectTokens, MEANING_KINDS } from './corpus.ts';
import { meaningFile, meaningMtime } from './file.ts';
import { loadedMeaning, refreshMeaning } from './embedder.ts';
import { MEANING_DEFAULTS } from './train.ts';
import type { MeaningTask } from './trainWorker.ts';

/** A burst of posts settles this long before the growth it made triggers a training. */
const GROWTH_DELAY_MS = 60_000;

export interface MeaningTrainerOptions {
  services: Pick<RelayServices, 'query' | 'modelMayRead' | 'onCommitted'>;
  config: ModelsConfig;
  log: Logger;
  /** After a new model is written: what depends on the embedding follows (the tagger, the labels). */
  onTrained?: () => Promise<void>;
  /** For tests: how long growth waits before it trains (GROWTH_DELAY_MS). */
  growthDelayMs?: number;
}

/**
 * Keeps the village's meaning model fresh inside the relay: trains at start when there is no
 * model yet and enough posts, then every `models.meaning.retrainHours`, and sooner when the
 * village has posted as much again as the model was learnt from (a young village's first model,
 * learnt from its first 200 posts, would otherwise stand for a day however fast it grows). In a
 * worker thread started for the run and stopped after it. Embedders watching the file take the
 * new model up.
 */
export class MeaningTrainer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<boolean>;
  private stopped = false;
  /** Posts stored since the last training began. */
  private postedSince = 0;
  private growthDue = false;
  private unsubscribe?: () => void;

  constructor(private readonly o: MeaningTrainerOptions) {}

  get file(): string {
    return meaningFile(this.o.config.dir);
  }

  start(): this {
    const m = this.o.config.meaning;
    if (!m.enabled || m.retrainHours <= 0) return this;
    const hourMs = 3_600_000;
    const age = meaningMtime(this.file) < 0 ? Infinity : Date.now() - meaningMtime(this.file);
    const first = age >= m.retrainHours * hourMs ? 5_000 : m.retrainHours * hourMs - age;
    this.unsubscribe = this.o.services.onCommitted((e) => {
      if (MEANING_KINDS.includes(e.kind)) this.grew();
    });
    this.schedule(first);
    return this;
  }

  /**
   * One more post: once the village has posted as much again as the model in use was learnt from
   * (as the embedders loaded it: the file is not read again here), train soon.
   */
  private grew(): void {
    this.postedSince++;
    if (this.growthDue || this.postedSince < this.o.config.meaning.minPosts) return;
    const learntFrom = loadedMeaning(this.file)?.stats.documents ?? 0;
    if (learntFrom === 0 || this.postedSince < learntFrom) return;
    this.growthDue = true;
    this.o.log.info({ learntFrom, postedSince: this.postedSince }, 'meaning: the village has posted as much again as the model knows; learning again shortly');
    clearTimeout(this.timer);
    this.schedule(this.o.growthDelayMs ?? GROWTH_DELAY_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    // too few posts yet: look again within the hour rather than a whole retrain period later
    const next = (trained: boolean) => this.schedule(Math.min(this.o.config.meaning.retrainHours, trained ? Infinity : 1) * 3_600_000);
    this.timer = setTimeout(() => void this.run().then(next, () => next(false)), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  /** One training run now (at most one at a time). Resolves true when a model was written. */
  run(): Promise<boolean> {
    return (this.running ??= this.train().finally(() => (this.running = undefined)));
  }

  private async train(): Promise<boolean> {
    const m = this.o.config.meaning;
    const { log } = this.o;
    // what is posted from now on counts toward the next growth (a failed run waits for as much again)
    this.postedSince = 0;
    this.growthDue = false;
    const posts = this.o.services.query([{ kinds: [...MEANING_KINDS], limit: m.minPosts }]).length;
    if (posts < m.minPosts) {
      log.info({ posts, minPosts: m.minPosts }, `meaning: ${posts} posts stored, training waits for ${m.minPosts}`);
      return false;
    }
    const started = Date.now();
    const docs = await collectTokens(this.o.services, m.maxPosts, (e) => this.o.services.modelMayRead(e));
    try {
      const r = await runInWorker<MeaningTask, { version: string; stats: Record<string, number> }>(new URL('./trainWorker.ts', import.meta.url), {
        docs,
        options: { ...MEANING_DEFAULTS, dims: m.dims },
        file: this.file,
      });
      log.info({ ...r.stats, version: r.version, ms: Date.now() - started }, `meaning: learnt ${r.stats.vocabulary} words from ${r.stats.documents} posts (version ${r.version})`);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'meaning: training failed; the previous model (if any) stays in use');
      return false;
    }
    refreshMeaning(this.file);
    try {
      await this.o.onTrained?.();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'meaning: updating what depends on the new model failed');
    }
    return true;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.running;
  }
}
