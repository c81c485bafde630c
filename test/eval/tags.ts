import type { BenchKey, Signer } from '../bench/util/sign.ts';
import type { EvalClient } from './client.ts';
import { JobTally, TAGGING_KIND, jobRequest, suggestedTags } from './jobs.ts';
import type { Probe } from './village/generator.ts';
import { TOPICS } from './village/topics.ts';

export interface TagScores {
  /** Share of probes whose true topic (any of its hashtags) is among the top 3 suggestions; failed jobs count as misses. */
  'top3': number;
  n: number;
  jobs: ReturnType<JobTally['summary']>;
}

/**
 * Top-3 accuracy of the tagging DVM on hashtag-free texts: each probe goes as a kind 5320 job
 * (`i` text input, max_results 3, no labels) and counts as right when one of the three
 * suggested hashtags is one the village uses for the probe's topic.
 */
export async function evaluateTags(o: {
  client: EvalClient;
  signer: Signer;
  key: BenchKey;
  /** The job kind the DVM announces (its 31990's `k`); 5320 when it names none. */
  kind: number | undefined;
  dvm: string | undefined;
  probes: readonly Probe[];
  timeoutMs: number;
}): Promise<TagScores & { misses: { text: string; topic: string; got: string[] }[] }> {
  const tally = new JobTally();
  let right = 0;
  const misses: { text: string; topic: string; got: string[] }[] = [];
  for (const p of o.probes) {
    const topic = TOPICS[p.topic]!;
    if (!o.dvm) {
      tally.add({ status: 'refused', message: 'no tagging DVM announced', ms: 0 });
      continue;
    }
    const tags = [['i', p.text, 'text'], ['param', 'max_results', '3'], ['param', 'labels', 'none']];
    const outcome = await o.client.job(jobRequest(o.signer, o.key, o.kind || TAGGING_KIND, o.dvm, tags), o.timeoutMs);
    tally.add(outcome);
    const got = outcome.status === 'ok' ? suggestedTags(outcome.result).slice(0, 3) : [];
    if (got.some((t) => topic.hashtags.includes(t))) right++;
    else if (misses.length < 10) misses.push({ text: p.text, topic: topic.name, got });
  }
  return { top3: o.probes.length ? right / o.probes.length : NaN, n: o.probes.length, jobs: tally.summary(), misses };
}

/** The tagger the tagging DVM's NIP-89 announcement names (`tagger` in its content). */
export function announcedTagger(content: string | undefined): string {
  try {
    return String((JSON.parse(content ?? '{}') as { tagger?: unknown }).tagger ?? 'not announced');
  } catch {
    return 'unreadable announcement';
  }
}
