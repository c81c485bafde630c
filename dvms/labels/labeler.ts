import { join } from 'node:path';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { RelayServices } from '../../relay/services.ts';
import type { LabelsConfig } from '../../config/sections/labels.ts';
import type { Tagger } from '../tags/tagger.ts';
import { VillageTagger } from '../tags/village.ts';
import { VillageVocabulary } from '../tags/vocabulary.ts';
import { hashtagsOf } from '../tags/text.ts';
import { pagesOf } from '../../relay/util/pagesOf.ts';
import { relabelRecent, type RelabelProgress } from './relabel.ts';
import { VillageLanguages } from './villageLanguages.ts';
import { decideLabels } from './decide.ts';
import { inlineVillageEmbedder, inlineToxicity, type Classifier, type Embedder } from '../../models/index.ts';
import { loadOrCreateLabelerKey, type LabelerKey } from './key.ts';
import { labelEvent } from './labelEvent.ts';
import { NAMESPACES } from './namespaces.ts';
import { KIND_LABEL } from '../../relay/nostr/kinds.ts';

/**
 * Never labelled, whatever labels.kinds says: DMs (4, 14, 15), seals and gift wraps (13, 1059),
 * labels themselves (1985: no loops), reports, and DVM traffic.
 */
export const NEVER_LABELLED = new Set([4, 13, 14, 15, 1059, 1060, 1984, 1985, 7000]);

/** Longest text read per post: a long article's language and topic show in its beginning. */
const MAX_TEXT = 4000;
/** Posts decided between two turns of the event loop (about 2-5 ms of work). */
const YIELD_EVERY = 8;
/** Posts read per page by the backfill (only their ids are kept). */
const BACKFILL_PAGE = 500;

export interface LabelerOptions {
  services: RelayServices;
  /** ws:// URL of this relay, for the relay hints of `e` tags. */
  relayUrl: () => string;
  /** The active models; absent: the built-ins in this thread. */
  embedder?: Embedder;
  toxicity?: Classifier;
  /** The tagger to share with the tagging DVM; built from config when absent. */
  tagger?: Tagger;
}

export interface LabelerStats {
  labelled: number;
  published: number;
  refused: number;
  /** Posts not labelled: pushed out of a full queue, or gone (deleted, expired) before their turn. */
  skipped: number;
  failed: number;
}

/**
 * The village labeler: hears every committed post of the configured kinds and publishes NIP-32
 * labels (kind 1985) signed by the village's labeler key, one event per namespace: topics,
 * language, content warnings, toxicity, each label with its confidence and the models that
 * decided; only labels that say something (decide.ts): no topic the post already carries as a
 * hashtag, no language it already states or the village's usual one, nothing below the
 * confidence floor. Posts are labelled in batches, one batch at a time; a post waits as its id
 * (it is read back from LMDB when its turn comes), and a flood beyond queueSize skips the
 * oldest waiting posts rather than growing without bound.
 */
export class Labeler {
  readonly key: LabelerKey;
  readonly tagger: Tagger;
  readonly stats: LabelerStats = { labelled: 0, published: 0, refused: 0, skipped: 0, failed: 0 };
  private readonly config: LabelsConfig;
  private readonly embedder: Embedder;
  private readonly toxicity: Classifier;
  private readonly excluded: Set<number>;
  /** The languages the village writes in, learnt as posts are labelled. */
  readonly languages = new VillageLanguages();
  private readonly vocabulary?: VillageVocabulary;
  /** Ids of the posts waiting, oldest first. */
  private readonly queue: string[] = [];
  private pumping?: Promise<void>;
  private unsubscribe?: () => void;
  private closed = false;

  constructor(private readonly o: LabelerOptions) {
    const { config: all, log } = o.services;
    this.config = all.labels;
    this.key = loadOrCreateLabelerKey(this.config.keyFile || join(all.storage.dataDir, 'labeler.key'));
    this.embedder = o.embedder ?? inlineVillageEmbedder(o.services.config.models);
    this.toxicity = o.toxicity ?? inlineToxicity();
    this.excluded = new Set([...NEVER_LABELLED, ...all.nips.restrictedKinds]);
    if (o.tagger) this.tagger = o.tagger;
    else {
      this.vocabulary = new VillageVocabulary(o.services, { fixed: this.config.vocabulary, size: this.config.vocabularySize, kinds: this.config.kinds });
      this.tagger = new VillageTagger({
        embedder: this.embedder,
        vocabulary: this.vocabulary,
        headsDir: join(all.models.dir, 'heads'),
        headName: this.config.tagsHead,
        log,
      });
    }
    const on = (['topic', 'language', 'contentWarning', 'toxicity'] as const).filter((n) => this.config[n]);
    log.info({ pubkey: this.key.pubkey, kinds: this.config.kinds, namespaces: on.map((n) => NAMESPACES[n]), tagger: this.tagger.mode }, 'labeler: started');
  }

  /** The embedder the labeler's tagger reads. */
  get embedding(): Embedder {
    return this.embedder;
  }

  /** Whether a stored event is one the labeler labels. */
  wants(e: NostrEvent): boolean {
    return this.config.kinds.includes(e.kind) && !this.excluded.has(e.kind) && e.pubkey !== this.key.pubkey && this.o.services.modelMayRead(e);
  }

  start(): this {
    this.unsubscribe ??= this.o.services.onCommitted((e) => {
      if (this.closed || !this.wants(e)) return;
      this.queue.push(e.id);
      if (this.queue.length > this.config.queueSize) {
        this.queue.shift();
        this.stats.skipped++;
        if (this.stats.skipped % 1000 === 1) this.o.services.log.warn({ skipped: this.stats.skipped }, 'labeler: behind; skipping the oldest waiting posts');
      }
      this.kick();
    });
    this.backfill();
    return this;
  }

  /**
   * Queues the newest recent posts (labels.backfillHours, at most labels.backfillMaxPosts and
   * queueSize) that carry no label by this key, oldest first. A post that earned no label at
   * all is looked at again on each start (within the same budget).
   */
  private backfill(): void {
    const hours = this.config.backfillHours;
    const budget = Math.min(this.config.backfillMaxPosts, this.config.queueSize);
    const kinds = this.config.kinds.filter((k) => !this.excluded.has(k));
    if (hours <= 0 || budget <= 0 || kinds.length === 0) return;
    const since = Math.floor(Date.now() / 1000 - hours * 3600);
    const todo: string[] = [];
    for (const page of pagesOf(this.o.services, { kinds, since }, BACKFILL_PAGE)) {
      const ids = page.filter((e) => this.wants(e)).map((e) => e.id);
      const labelled = new Set<string>();
      for (const l of this.o.services.query([{ kinds: [KIND_LABEL], authors: [this.key.pubkey], tags: new Map([['e', ids]]) }]))
        for (const t of l.tags) if (t[0] === 'e' && t[1]) labelled.add(t[1]);
      for (const id of ids) if (!labelled.has(id) && todo.length < budget) todo.push(id);
      if (todo.length >= budget) break;
    }
    if (todo.length === 0) return;
    this.o.services.log.info({ posts: todo.length, hours, budget }, 'labeler: labelling recent posts it has not labelled yet');
    this.queue.unshift(...todo.reverse());
    this.kick();
  }

  /** Starts the batch loop unless it runs; a post that arrives as it ends starts it again. */
  private kick(): void {
    if (this.pumping) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.queue.length > 0 && !this.closed) this.kick();
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const ids = this.queue.splice(0, this.config.batchSize);
      // query, not getById: a post deleted, expired or held meanwhile is not labelled
      const batch = this.o.services.query([{ ids, limit: ids.length }]).filter((e) => this.wants(e));
      this.stats.skipped += ids.length - batch.length;
      if (batch.length === 0) continue;
      try {
        await this.label(batch);
      } catch (err) {
        this.stats.failed += batch.length;
        this.o.services.log.error({ err: (err as Error).message, posts: batch.length }, 'labeler: a batch failed');
      }
    }
  }

  /** The label events for these posts (not published). */
  async decide(posts: readonly NostrEvent[]): Promise<NostrEvent[]> {
    const c = this.config;
    const texts = posts.map((e) => e.content.slice(0, MAX_TEXT));
    const needToxicity = c.toxicity || c.contentWarning;
    // what each post already says: its hashtags, its own language label, the village's usual language
    const known = posts.map((e) => ({ hashtags: new Set(hashtagsOf(e)), languages: new Set([...selfLanguages(e), ...(c.villageLanguage ? [c.villageLanguage] : [])]) }));
    // enough suggestions that up to maxTopics remain once the post's own hashtags are left out
    const k = c.maxTopics + Math.max(0, ...known.map((x) => x.hashtags.size));
    const [toxicity, suggested] = await Promise.all([
      needToxicity ? this.toxicity.classify(texts) : undefined,
      c.topic ? this.tagger.suggest(texts, k) : undefined,
    ]);
    const topics = suggested?.map((s, i) => s.filter((t) => !known[i]!.hashtags.has(t.tag)).slice(0, c.maxTopics));
    const topicModels = this.tagger.models;
    const hint = this.o.relayUrl();
    const out: NostrEvent[] = [];
    for (let i = 0; i < posts.length; i++) {
      // language detection and signing run in this thread: let the relay's clients in between
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      if (!/\p{L}/u.test(texts[i]!)) continue;
      const decisions = decideLabels(
        { text: texts[i]!, toxicity: toxicity?.[i], toxicityModel: this.toxicity.info, topics: topics?.[i], topicModels, known: known[i], villageLanguages: this.languages },
        c,
        c,
      );
      for (const d of decisions) out.push(labelEvent(this.key, posts[i]!, d, hint));
    }
    return out;
  }

  /** Decides and publishes the labels of these posts through the relay's pipeline. */
  async label(posts: readonly NostrEvent[]): Promise<NostrEvent[]> {
    const events = await this.decide(posts);
    const results = await Promise.all(events.map((e) => this.o.services.publish(e, 'internal')));
    results.forEach((r, i) => {
      if (r.ok) this.stats.published++;
      else {
        this.stats.refused++;
        this.o.services.log.warn({ id: events[i]!.id, message: r.message }, 'labeler: the relay refused a label');
      }
    });
    this.stats.labelled += posts.length;
    return events;
  }

  /**
   * Labels the recent posts again with the models in use now (after the meaning model or the
   * tagger changed), replacing the labels that changed; progress goes to the log.
   */
  async relabel(): Promise<RelabelProgress> {
    (this.tagger as Partial<VillageTagger>).refresh?.();
    const log = this.o.services.log;
    const r = await relabelRecent(this, this.o.services, (p) => log.info({ ...p, tagger: this.tagger.mode }, `labeler: relabelling recent posts ${p.done}/${p.total}`));
    log.info({ ...r }, `labeler: relabelled ${r.total} posts (${r.changed} labels replaced, ${r.added} new)`);
    return r;
  }

  /** Resolves once every post heard so far is labelled. */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Stops hearing posts and finishes the batch in hand; waiting posts are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.queue.length = 0;
    await this.idle();
    this.vocabulary?.close();
  }
}

/** The languages an event labels itself with (NIP-32 `l` tags marked ISO-639-1). */
function selfLanguages(e: NostrEvent): string[] {
  return e.tags.filter((t) => t[0] === 'l' && t[2] === 'ISO-639-1' && t[1]).map((t) => t[1]!.toLowerCase());
}

/** Starts the labeler when labels.enabled is set; undefined otherwise. */
export function startLabeler(o: LabelerOptions): Labeler | undefined {
  return o.services.config.labels.enabled ? new Labeler(o).start() : undefined;
}
