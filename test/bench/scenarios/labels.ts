import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { modelsSection } from '../../../config/sections/models.ts';
import { openModels, type Models } from '../../../models/index.ts';
import type { NostrEvent } from '../../../relay/nostr/types.ts';
import { Labeler } from '../../../dvms/labels/labeler.ts';
import { detectLanguage } from '../../../dvms/labels/language.ts';
import { inlineEmbedder } from '../../../models/index.ts';
import { trainTags } from '../../../dvms/tags/train.ts';
import { startTestRelay } from '../../helpers/relay.ts';
import { Author } from '../../helpers/client.ts';
import { VILLAGE_TOPICS, villagePosts } from '../../tags/syntheticVillage.ts';
import type { ScenarioResult } from '../util/types.ts';
import { BENCH_MODEL_NAME, BENCH_MODELS_DIR, ensureBenchModel } from '../util/benchModel.ts';

/**
 * Labels: how many posts per second the village labeler labels (topic, language, content
 * warning, toxicity; label events signed and published through a real relay's pipeline into
 * LMDB), with the built-in models in the worker pool and with a random-weight model of
 * all-MiniLM-L6-v2's exact shape as the embedder; franc's language detection alone; and the
 * village-trained tagger's precision@3 / recall@3 on the newest fifth of a simulated village
 * against suggesting the three most used tags to everyone. Rates are medians over rounds.
 */


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fakeId = (i: number, salt: number): string => (salt * 1_000_000 + i).toString(16).padStart(64, '0');

/** Posts (not stored: the labeler reads what it is given) as the labeler would hear them. */
function posts(n: number, salt: number): NostrEvent[] {
  return villagePosts(n, { seed: 100 + salt }).map((p, i) => ({ ...p, id: fakeId(i, salt), pubkey: 'f'.repeat(64), kind: 1, sig: '' }));
}

/** Labels `n` posts per round in the labeler's own batch size; posts/s and label events/s, medians. */
async function labelRate(models: Models | undefined, n: number, rounds: number): Promise<{ posts: number; events: number }> {
  const relay = await startTestRelay({ labels: { vocabulary: Object.keys(VILLAGE_TOPICS) }, verify: { threads: 2 } });
  try {
    const labeler = new Labeler({ services: relay.services, relayUrl: () => relay.url, embedder: models?.embedder, toxicity: models?.toxicity });
    const batch = relay.config.labels.batchSize;
    await labeler.label(posts(batch, 0)); // warm: workers loaded, terms embedded
    const postRates: number[] = [];
    const eventRates: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      const round = posts(n, r);
      let events = 0;
      const t0 = performance.now();
      for (let i = 0; i < round.length; i += batch) events += (await labeler.label(round.slice(i, i + batch))).length;
      const s = (performance.now() - t0) / 1000;
      postRates.push(n / s);
      eventRates.push(events / s);
    }
    await labeler.close();
    return { posts: median(postRates), events: median(eventRates) };
  } finally {
    await relay.destroy();
  }
}

/**
 * Label events per 1,000 posts (issue 15: labels must be worth their storage): 1,000 posts of
 * the simulated village (half of them carrying their hashtags as `t` tags) published to a real
 * relay with the labeler on, and its kind 1985 events counted, by namespace.
 */
async function labelsPerThousand(labels: Record<string, unknown>): Promise<{ total: number; byNamespace: Record<string, number>; bytesPerLabel: number }> {
  const n = 1000;
  const now = Math.floor(Date.now() / 1000);
  const authors = Array.from({ length: 20 }, () => new Author());
  const posts = villagePosts(n, { seed: 5 }).map((p, i) => authors[i % 20]!.sign({ content: p.content, created_at: now - (n - i) * 60, tags: i % 2 === 0 ? p.tags : [] }));
  const relay = await startTestRelay({ labels: { enabled: true, ...labels } });
  try {
    for (let i = 0; i < n; i += 50) await Promise.all(posts.slice(i, i + 50).map((e) => relay.services.publish(e)));
    const labeler = relay.labeler!;
    const t0 = Date.now();
    while (labeler.stats.labelled + labeler.stats.skipped < n && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 200));
    await labeler.idle();
    const events = relay.services.query([{ kinds: [1985], authors: [labeler.key.pubkey], limit: 100_000 }]);
    const byNamespace: Record<string, number> = {};
    for (const l of events) {
      const ns = l.tags.find((t) => t[0] === 'L')?.[1] ?? '?';
      byNamespace[ns] = (byNamespace[ns] ?? 0) + 1000 / n;
    }
    const bytes = events.reduce((sum, l) => sum + JSON.stringify(l).length, 0);
    return { total: (events.length * 1000) / n, byNamespace, bytesPerLabel: events.length ? bytes / events.length : 0 };
  } finally {
    await relay.destroy();
  }
}

export async function run(opts: { quick: boolean; log?: (line: string) => void }): Promise<ScenarioResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`  … ${l}\n`));
  const rounds = opts.quick ? 2 : 3;
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const set = (k: string, v: number, unit: string): void => void ((metrics[k] = v), (units[k] = unit));
  const silent = pino({ level: 'silent' });

  // language detection alone (main thread, every post)
  const texts = posts(2000, 9).map((p) => p.content);
  const langRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const t of texts) detectLanguage(t);
    langRates.push(texts.length / ((performance.now() - t0) / 1000));
  }
  set('labels.language.franc.per_s', median(langRates), 'texts/s (franc, every ISO-639-1 language)');

  log('labels: labeler with the built-in models (worker pool, 1 worker)');
  const builtin = await openModels(modelsSection.parse({ embedding: 'builtin', toxicity: 'builtin', workers: 1, batchSize: 64 }), { log: silent });
  try {
    const r = await labelRate(builtin, opts.quick ? 640 : 2560, rounds);
    set('labels.builtin.posts_per_s', r.posts, 'posts labelled/s (4 namespaces, published)');
    set('labels.builtin.events_per_s', r.events, 'label events/s');
  } finally {
    await builtin.close();
  }

  ensureBenchModel(log, 'labels');
  log('labels: labeler with the MiniLM-shaped embedder (1 worker) and the built-in toxicity lexicon');
  const minilm = await openModels(modelsSection.parse({ dir: BENCH_MODELS_DIR, embedding: BENCH_MODEL_NAME, toxicity: 'builtin', workers: 1, batchSize: 32 }), { log: silent });
  try {
    const r = await labelRate(minilm, opts.quick ? 128 : 512, rounds);
    set('labels.minilm.posts_per_s', r.posts, 'posts labelled/s (4 namespaces, published)');
    set('labels.minilm.events_per_s', r.events, 'label events/s');
  } finally {
    await minilm.close();
  }
  notes.push("MiniLM-shaped model: random fp32 weights in all-MiniLM-L6-v2's shape (the embedding cost is real, its topics are not); toxicity: built-in lexicon");

  log('labels: label events per 1,000 posts of the simulated village');
  for (const [name, labels] of [['defaults', {}], ['village_language_en', { villageLanguage: 'en' }]] as const) {
    const r = await labelsPerThousand(labels);
    set(`labels.per_1k_posts.${name}`, r.total, `label events (${Object.entries(r.byNamespace).map(([ns, k]) => `${ns} ${Math.round(k)}`).join(', ')})`);
    if (name === 'defaults') set('labels.bytes_per_label_event', r.bytesPerLabel, 'bytes of JSON');
  }
  notes.push('per 1,000 posts: 1,000 simulated village posts, half with their hashtags as t tags; before issue 15 (one label event per namespace, no floor, topics repeating t tags): 875 (533 ISO-639-1, 342 #t)');

  // trained tagger vs baseline on the simulated village (built-in embedder: a random-weight
  // model has no semantics to learn topics from)
  const n = opts.quick ? 1000 : 4000;
  log(`labels: training the tagger on a simulated village of ${n} posts`);
  const village = posts(n, 42);
  for (const kind of ['logistic', 'knn'] as const) {
    const { card } = await trainTags({ posts: village, embedder: inlineEmbedder(), kind });
    const ev = card.evaluation;
    set(`labels.tagger.${kind}.precision_at_3`, ev.tagger.precisionAtK, 'held-out newest fifth');
    set(`labels.tagger.${kind}.recall_at_3`, ev.tagger.recallAtK, 'held-out newest fifth');
    if (kind === 'logistic') {
      set('labels.tagger.baseline.precision_at_3', ev.baseline.precisionAtK, `most used: ${ev.baseline.tags.join(', ')}`);
      set('labels.tagger.baseline.recall_at_3', ev.baseline.recallAtK, 'held-out newest fifth');
    }
  }
  notes.push(`tagger: ${n} posts over 8 topics (1-2 hashtags each, 1.25 on average: precision@3 cannot exceed about 0.42), built-in embedder`);
  return { metrics, units, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(result, null, 2));
}
