import type { Signer } from '../bench/util/sign.ts';
import { BASELINES } from './baselines.ts';
import type { EvalClient } from './client.ts';
import { FEED_KIND, JobTally, feedIds, jobRequest } from './jobs.ts';
import { mean, ndcgAt, precisionAt } from './metrics.ts';
import type { StoredVillage } from './stored.ts';
import type { VillageEvents } from './village/events.ts';
import { HOUR, engagementProbability, type Post, type Village } from './village/generator.ts';
import { TOPICS } from './village/topics.ts';

export interface MethodScores {
  'p@10': number;
  'ndcg@20': number;
  /** P@10 over the list with every post that carries a hashtag taken out. */
  'p@10.hashtag_free': number;
  /** Of those ten hashtag-free items, the share on one of the member's hidden interests (topic precision, not engagement). */
  'p@10.hashtag_free.on_interest': number;
  /** Spam-ring posts in the top 20, per list. */
  'spam_per_top20': number;
  /** Mean list length (of the depth asked). */
  length: number;
  /** Standard error of the mean P@10 over members (how far apart two figures must be to mean something). */
  'p@10.se': number;
}

export interface RankingResult {
  membersEvaluated: number;
  membersWithHeldOut: number;
  meanHeldOut: number;
  methods: Record<string, MethodScores>;
  /** Trending and topic feeds: spam per top 20 (and their P@10 for reference), over `sideMembers` members. */
  side: Record<string, MethodScores>;
  sideMembers: number;
  jobs: Record<string, ReturnType<JobTally['summary']>>;
}

/** Depth asked of every method: the top 20 is scored, the hashtag-free P@10 reads further down. */
const DEPTH = 50;

export interface RankingOptions {
  client: EvalClient;
  signer: Signer;
  village: Village;
  events: VillageEvents;
  stored: StoredVillage;
  dvms: Map<string, { pubkey: string }>;
  /** Most members evaluated (an even sample of those with held-out engagement, the same for a seed). */
  maxMembers: number;
  /** Members also asked for trending and topic (those feeds are not personal; a sample is enough). */
  sideMembers: number;
  timeoutMs: number;
  log: (line: string) => void;
}

interface Judge {
  relevant: ReadonlySet<string>;
  onInterest: ReadonlySet<string>;
  stored: StoredVillage;
  spam: ReadonlySet<string>;
}

function score(list: string[], { relevant, onInterest, stored, spam }: Judge): MethodScores {
  const top20 = list.slice(0, 20);
  // a reply or anything else that is not a stored root post carries no hashtag of ours
  const hashtagFree = list.filter((id) => stored.posts.get(id)?.hashtagFree ?? true);
  return {
    'p@10': precisionAt(list, relevant, 10),
    'ndcg@20': ndcgAt(top20, relevant, 20),
    'p@10.hashtag_free': precisionAt(hashtagFree, relevant, 10),
    'p@10.hashtag_free.on_interest': precisionAt(hashtagFree, onInterest, 10),
    spam_per_top20: top20.filter((id) => spam.has(stored.posts.get(id)?.pubkey ?? '')).length,
    length: list.length,
    'p@10.se': 0,
  };
}

function meanScores(all: MethodScores[]): MethodScores {
  const keys = ['p@10', 'ndcg@20', 'p@10.hashtag_free', 'p@10.hashtag_free.on_interest', 'spam_per_top20', 'length'] as const;
  const out = Object.fromEntries(keys.map((k) => [k, mean(all.map((s) => s[k]))])) as unknown as MethodScores;
  const m = out['p@10'];
  out['p@10.se'] = Math.sqrt(all.reduce((a, s) => a + (s['p@10'] - m) ** 2, 0) / Math.max(1, all.length - 1) / Math.max(1, all.length));
  return out;
}

/**
 * For each member with held-out engagement: the for-you DVM's ranking (a kind 5300 request signed
 * by the member over the WebSocket) and the baselines' rankings from the stored data, scored
 * against the posts the member engaged with after the split. A failed or late job scores as an
 * empty list and is counted.
 */
export async function evaluateRanking(o: RankingOptions): Promise<RankingResult> {
  const { village, events, stored } = o;
  const spam = new Set(village.members.filter((m) => m.spam).map((m) => events.keys[m.index]!.pubkey));
  const topicOf = new Map(village.posts.map((p) => [events.postIds[p.index]!, p.topic]));
  const postOf = new Map(village.posts.map((p) => [events.postIds[p.index]!, p]));
  const delay = village.options.engageDelayHours * HOUR;
  const forYou = o.dvms.get('feed-for-you')?.pubkey;
  const sideFeeds = { trending: o.dvms.get('feed-trending')?.pubkey, topic: o.dvms.get('feed-topic')?.pubkey };
  const tallies: Record<string, JobTally> = { 'for-you': new JobTally(), trending: new JobTally(), 'topic (no params)': new JobTally(), 'topic (topics=interest)': new JobTally() };
  const per: Record<string, MethodScores[]> = {};
  const side: Record<string, MethodScores[]> = {};
  const push = (into: Record<string, MethodScores[]>, k: string, s: MethodScores) => (into[k] ??= []).push(s);
  const ask = async (name: string, dvm: string | undefined, memberIndex: number, tags: string[][]): Promise<string[]> => {
    if (!dvm) {
      tallies[name]!.add({ status: 'refused', message: 'no such DVM announced', ms: 0 });
      return [];
    }
    const outcome = await o.client.job(jobRequest(o.signer, events.keys[memberIndex]!, FEED_KIND, dvm, tags), o.timeoutMs);
    tallies[name]!.add(outcome);
    return outcome.status === 'ok' ? feedIds(outcome.result) : [];
  };
  const all = village.members.filter((m) => !m.spam && (events.heldOut.get(m.index)?.size ?? 0) > 0);
  const step = Math.max(1, all.length / o.maxMembers);
  const members = all.length <= o.maxMembers ? all : Array.from({ length: o.maxMembers }, (_, k) => all[Math.floor(k * step)]!);
  let heldOutSum = 0;
  for (const [n, m] of members.entries()) {
    const pubkey = events.keys[m.index]!.pubkey;
    const relevant = events.heldOut.get(m.index)!;
    heldOutSum += relevant.size;
    const onInterest = new Set([...topicOf].filter(([, t]) => m.interests.includes(t)).map(([id]) => id));
    const judge: Judge = { relevant, onInterest, stored, spam };
    push(per, 'for-you', score(await ask('for-you', forYou, m.index, [['param', 'max_results', String(DEPTH)]]), judge));
    for (const [name, baseline] of Object.entries(BASELINES)) push(per, name, score(baseline(stored, pubkey, DEPTH), judge));
    // what knowing the hidden topics buys: the member's topics, newest first (not something the relay can do)
    const oracle = stored.candidates(pubkey).filter((p) => m.interests.includes(topicOf.get(p.id) ?? -1)).sort((a, b) => b.createdAt - a.createdAt);
    push(per, 'interest-oracle', score(oracle.slice(0, DEPTH).map((p) => p.id), judge));
    const reachable = stored.candidates(pubkey).filter((p) => relevant.has(p.id)).map((p) => p.id);
    // the best ranking in expectation: knows each engagement probability and the delay, so the
    // chance that a post not engaged with yet will be after the split (an upper bound to aim at)
    const follows = new Set(m.follows);
    const later = (p: Post) => {
      const q = engagementProbability(m, p, follows);
      const s = Math.exp(p.at / delay);
      return (q * s) / (1 - q + q * s);
    };
    const bayes = stored.candidates(pubkey).map((c) => ({ id: c.id, s: later(postOf.get(c.id)!) })).sort((a, b) => b.s - a.s);
    push(per, 'bayes-oracle', score(bayes.map((x) => x.id), judge));
    // every reachable held-out post first: what a list could score if it knew the future
    push(per, 'ceiling', score(reachable, judge));
    if (n < o.sideMembers) {
      const depth = [['param', 'max_results', String(DEPTH)]];
      push(side, 'trending', score(await ask('trending', sideFeeds.trending, m.index, depth), judge));
      push(side, 'topic (no params)', score(await ask('topic (no params)', sideFeeds.topic, m.index, depth), judge));
      const interest = TOPICS[m.interests[0]!]!.hashtags[0]!;
      push(side, 'topic (topics=interest)', score(await ask('topic (topics=interest)', sideFeeds.topic, m.index, [...depth, ['param', 'topics', interest]]), judge));
    }
    if ((n + 1) % 50 === 0) o.log(`ranking: ${n + 1}/${members.length} members`);
  }
  return {
    membersEvaluated: members.length,
    membersWithHeldOut: all.length,
    meanHeldOut: heldOutSum / Math.max(1, members.length),
    methods: Object.fromEntries(Object.entries(per).map(([k, v]) => [k, meanScores(v)])),
    side: Object.fromEntries(Object.entries(side).map(([k, v]) => [k, meanScores(v)])),
    sideMembers: Math.min(o.sideMembers, members.length),
    jobs: Object.fromEntries(Object.entries(tallies).map(([k, t]) => [k, t.summary()])),
  };
}
