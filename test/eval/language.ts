import type { RunningRelay } from '../../cli/hamlet.ts';
import type { EvalClient } from './client.ts';
import type { VillageEvents } from './village/events.ts';
import type { Lang, Village } from './village/generator.ts';

export interface LanguageScores {
  /** Share of non-English posts whose best ISO-639-1 label (kind 1985 from the labeler) is their language; unlabelled counts as wrong. */
  accuracy: number;
  n: number;
  byLanguage: Record<string, { n: number; right: number; unlabelled: number; labelledAs: Record<string, number> }>;
  /** English posts labelled with another language. */
  englishMislabelled: number;
  englishN: number;
}

/** Waits (bounded) until the labeler has taken every post it was given, or has stopped moving. */
export async function labelerSettled(relay: RunningRelay, posts: number, maxMs: number, log: (l: string) => void): Promise<number> {
  const stats = relay.labeler?.stats;
  if (!stats) return 0;
  const seen = () => stats.labelled + stats.skipped + stats.failed;
  const t0 = Date.now();
  let last = -1;
  let still = 0;
  for (let tick = 1; seen() < posts && Date.now() - t0 < maxMs; tick++) {
    await new Promise((r) => setTimeout(r, 1000));
    still = seen() === last ? still + 1 : 0;
    last = seen();
    if (still >= 20) break; // nothing for 20 s: it has taken what it will take
    if (tick % 10 === 0) log(`labeler: ${seen()}/${posts} posts`);
  }
  return (Date.now() - t0) / 1000;
}

/** Reads the labeler's ISO-639-1 labels of every post back over the WebSocket and scores them. */
export async function evaluateLanguage(o: { client: EvalClient; labeler: string | undefined; village: Village; events: VillageEvents; accepted: ReadonlySet<string> }): Promise<LanguageScores> {
  const langOf = new Map<string, Lang>();
  for (const p of o.village.posts) {
    const id = o.events.postIds[p.index]!;
    if (p.topic >= 0 && o.accepted.has(id)) langOf.set(id, p.lang);
  }
  const best = new Map<string, { value: string; score: number }>();
  const ids = [...langOf.keys()];
  for (let i = 0; o.labeler && i < ids.length; i += 400) {
    const batch = ids.slice(i, i + 400);
    for (const e of await o.client.req({ kinds: [1985], authors: [o.labeler], '#L': ['ISO-639-1'], '#e': batch, limit: 5000 })) {
      for (const l of e.tags.filter((t) => t[0] === 'l' && t[2] === 'ISO-639-1')) {
        const score = Number(l[3] ?? 1);
        for (const t of e.tags.filter((t) => t[0] === 'e' && langOf.has(t[1]!))) {
          const b = best.get(t[1]!);
          if (!b || score > b.score) best.set(t[1]!, { value: l[1]!, score });
        }
      }
    }
  }
  const byLanguage: LanguageScores['byLanguage'] = {};
  let right = 0;
  let n = 0;
  let englishMislabelled = 0;
  let englishN = 0;
  for (const [id, lang] of langOf) {
    const got = best.get(id)?.value;
    if (lang === 'en') {
      englishN++;
      if (got !== undefined && got !== 'en') englishMislabelled++;
      continue;
    }
    const s = (byLanguage[lang] ??= { n: 0, right: 0, unlabelled: 0, labelledAs: {} });
    n++;
    s.n++;
    if (got === undefined) s.unlabelled++;
    else s.labelledAs[got] = (s.labelledAs[got] ?? 0) + 1;
    if (got === lang) (right++, s.right++);
  }
  return { accuracy: n ? right / n : NaN, n, byLanguage, englishMislabelled: englishN ? englishMislabelled / englishN : NaN, englishN };
}
