import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadHead, type Embedder } from '../../models/index.ts';
import type { Logger } from '../../relay/log.ts';
import { HeadTagger, VocabularyTagger, type ModelRef, type TagSuggestion, type Tagger } from './tagger.ts';
import type { TagsModelCard } from './train.ts';

export interface VillageTaggerOptions {
  embedder: Embedder;
  vocabulary: { terms(): string[]; version: number };
  /** Directory of trained heads (<models.dir>/heads). */
  headsDir: string;
  /** Head name (labels.tagsHead); empty: never use a trained head. */
  headName: string;
  log: Logger;
  /** How often the card file is looked at again, so a re-trained head is picked up (default 30 s). */
  recheckMs?: number;
}

/**
 * The tagger the labeler and the DVM use: the village-trained head when `hamlet train tags`
 * wrote one that beats the most-frequent-tags baseline over the active embedding model, else
 * the vocabulary tagger. A newly trained head is picked up without a restart.
 */
export class VillageTagger implements Tagger {
  private readonly fallback: VocabularyTagger;
  private trained?: HeadTagger;
  private cardMtime = -1;
  private model = '';
  private checkedAt = 0;

  constructor(private readonly o: VillageTaggerOptions) {
    this.fallback = new VocabularyTagger(o.embedder, o.vocabulary);
    this.recheck(true);
  }

  get current(): Tagger {
    this.recheck();
    return this.trained ?? this.fallback;
  }

  get mode(): Tagger['mode'] {
    return this.current.mode;
  }

  get models(): readonly ModelRef[] {
    return this.current.models;
  }

  suggest(texts: readonly string[], k: number): Promise<TagSuggestion[][]> {
    return this.current.suggest(texts, k);
  }

  /** Looks at the head's card and the embedding model now (after a training run), not at the next 30 s mark. */
  refresh(): void {
    this.recheck(true);
  }

  private recheck(force = false): void {
    if (!this.o.headName) return;
    const now = Date.now();
    if (!force && now - this.checkedAt < (this.o.recheckMs ?? 30_000)) return;
    this.checkedAt = now;
    const cardFile = join(this.o.headsDir, `${this.o.headName}.card.json`);
    let mtime: number;
    try {
      mtime = statSync(cardFile).mtimeMs;
    } catch {
      mtime = -1;
    }
    // a new embedding model (the meaning model re-learnt) makes the head stale even if its file is not
    const model = `${this.o.embedder.info.id}@${this.o.embedder.info.version}`;
    if (mtime === this.cardMtime && model === this.model) return;
    this.cardMtime = mtime;
    this.model = model;
    this.trained = mtime < 0 ? undefined : this.load(cardFile);
  }

  private load(cardFile: string): HeadTagger | undefined {
    const { log, embedder, headsDir, headName } = this.o;
    try {
      const card = JSON.parse(readFileSync(cardFile, 'utf8')) as TagsModelCard;
      const ev = card.evaluation;
      if (!ev?.beatsBaseline) {
        log.info({ card: cardFile }, 'tagger: the trained head does not beat the most-frequent-tags baseline; using the vocabulary');
        return undefined;
      }
      if (card.baseModel.id !== embedder.info.id || card.baseModel.version !== embedder.info.version) {
        log.warn(
          { card: cardFile, trainedOver: `${card.baseModel.id}@${card.baseModel.version}`, active: `${embedder.info.id}@${embedder.info.version}` },
          'tagger: the trained head was trained over another embedding model; using the vocabulary (run `hamlet train tags` again)',
        );
        return undefined;
      }
      const headFile = join(headsDir, `${headName}.head.json`);
      const version = createHash('sha256').update(readFileSync(headFile)).digest('hex').slice(0, 12);
      const head = loadHead(headFile);
      log.info(
        { head: headFile, version, precisionAt3: ev.tagger.precisionAtK, baseline: ev.baseline.precisionAtK, tags: head.labels.length },
        'tagger: using the village-trained head',
      );
      return new HeadTagger(embedder, head, { id: `village/${headName}`, version });
    } catch (err) {
      log.warn({ card: cardFile, err: (err as Error).message }, 'tagger: cannot load the trained head; using the vocabulary');
      return undefined;
    }
  }
}
