import { nip19 } from 'nostr-tools';
import type { Config } from '../../config/schema.ts';
import { ResultCache } from '../runtime/cache.ts';
import type { Signals } from '../signals/index.ts';
import { JobError, type DvmSpec, type JobContext, type JobOutput, type JobRequest } from '../types.ts';
import { RankContext, type Ranked } from './context.ts';
import { rankFollowing } from './following.ts';
import { rankForYou } from './forYou.ts';
import { takePage } from './page.ts';
import type { FeedPages } from './pages.ts';
import { paramDocs, parseFeedParams, rankingKey, type Algorithm, type FeedDefaults, type FeedParams } from './params.ts';
import { REASONS, reasonText } from './reasons.ts';
import { withSavedSettings } from './settings.ts';
import { mayReadGroup } from '../runtime/groupAccess.ts';
import { ownTopics, rankTopic } from './topic.ts';
import { rankTrending } from './trending.ts';

export const FEED_KIND = 5300;

const RANKERS: Record<Algorithm, (ctx: RankContext) => Ranked[]> = {
  'for-you': rankForYou,
  trending: rankTrending,
  topic: rankTopic,
  following: rankFollowing,
};

const ABOUT: Record<Algorithm, { name: string; about: string }> = {
  'for-you': {
    name: 'For you',
    about:
      'Posts ranked for you by the village\'s own local models: close to what you post, like, repost and bookmark; from your trust circles (who you follow, and who they follow); engaged with by people you follow; newer first. One author or topic cannot fill the page. Each item says why it is there. Tune it with the params.',
  },
  trending: {
    name: 'Trending in the village',
    about: 'What the village is engaging with right now: engagement velocity weighted by trust in who engaged (your circles, then the village\'s members), not raw counts.',
  },
  topic: {
    name: 'Topic',
    about:
      'Posts about a topic you name (param topics, or an i text input): the hashtag, the word, or similar text by local embeddings. Name none and it shows your own topics (your interest list, what you post and engage with), or the village\'s most used ones while you are new.',
  },
  following: { name: 'Following', about: 'Posts of the people you follow, newest first: the plain chronological feed.' },
};

/** Ranks a feed for one request's params (no paging): what the result cache keeps. */
export interface Ranker {
  (params: FeedParams): Promise<Ranked[]>;
  /** The cache key of a ranking: the params that order it, and the version of the user's own lists. */
  key(params: FeedParams): string;
}

export function makeRanker(signals: Signals, village: () => ReadonlyMap<string, number> | undefined, now = () => Math.floor(Date.now() / 1000)): Ranker {
  const rank = async (asked: FeedParams): Promise<Ranked[]> => {
    await signals.ready;
    await signals.flush();
    // for you: hashtags of the member's interest list (kind 10015) count as asked-for topics
    const declared = asked.algorithm === 'for-you' && asked.topics.length === 0 ? signals.declaredInterests(asked.user) : [];
    // topic without a topic: the member's own topics (or the village's, for a newcomer)
    const own = asked.algorithm === 'topic' && asked.topics.length === 0 ? ownTopics(signals, asked.user) : [];
    const params = declared.length > 0 ? { ...asked, topics: [...declared] } : own.length > 0 ? { ...asked, topics: own } : asked;
    const topicVectors =
      params.topics.length > 0 ? (await signals.embedder.embed(params.topics)).map((vector, i) => ({ topic: params.topics[i]!, vector })) : [];
    const excludedVectors = params.excludeTopics.length > 0 ? await signals.embedder.embed(params.excludeTopics) : [];
    const ctx = new RankContext(signals, params, now(), village(), topicVectors, excludedVectors);
    // at most MAX_RANKED (top.ts): what the cache keeps, and how deep a member can page
    return RANKERS[params.algorithm](ctx);
  };
  return Object.assign(rank, { key: (params: FeedParams) => `${rankingKey(params)}|${signals.listVersion(params.user)}` });
}

/** Rankings reused by every feed (the key names the algorithm), bounded by dvms.resultCacheMb and 200 rankings. */
export function feedResultCache(config: Config['dvms']): ResultCache<Ranked[]> {
  // about 100 bytes an item: the object, its score and reason (ids are the posts' own strings)
  return new ResultCache<Ranked[]>({ ttlMs: config.resultCacheSeconds * 1000, maxEntries: 200, maxBytes: config.resultCacheMb * 2 ** 20, sizeOf: (r) => 64 + 100 * r.length });
}

export interface FeedDvmOptions {
  algorithm: Algorithm;
  config: Config['dvms'];
  rank: Ranker;
  pages: FeedPages;
  /** Shared with the other feeds; default: one of its own. */
  cache?: ResultCache<Ranked[]>;
  /** Model in use, for the announcement ("which model is active"); read at each announcement. */
  model: () => string;
  takesUnaddressed: boolean;
}

/**
 * One announced feed DVM (kind 5300). Its handler parses the member's params, ranks (or
 * reuses a ranking cached by algorithm, params and user for a short time), takes the next
 * diversified page and answers `[["e", id, relay, reason, score], ...]`, best first, with a
 * `cursor` tag for the next page.
 */
export function feedDvm(o: FeedDvmOptions): DvmSpec {
  const defaults: FeedDefaults = {
    algorithm: o.algorithm,
    maxResults: Math.min(o.config.defaultMaxResults, o.config.maxResultsCap),
    maxResultsCap: o.config.maxResultsCap,
    hideLabels: o.config.hideLabels,
  };
  const cache = o.cache ?? feedResultCache(o.config);
  const { name, about } = ABOUT[o.algorithm];
  return {
    id: `feed-${o.algorithm}`,
    kind: FEED_KIND,
    name: `${o.config.name}: ${name}`,
    about,
    personalized: true,
    params: paramDocs(defaults),
    get extra() {
      return {
        algorithm: o.algorithm,
        reasons: REASONS,
        model: o.model(),
        resultFormat: '[["e", <id>, <relay>, <reason code>, <score>, <reason in words>], ...] best first; a ["cursor", <id>] tag on the result pages on',
        // NIP-90 leaves it open: a request naming other providers in `p` is theirs; one naming none goes to one DVM per kind
        answersUnaddressed: o.takesUnaddressed,
      };
    },
    tags: [['t', 'feed'], ['t', o.algorithm]],
    takesUnaddressed: o.takesUnaddressed,
    async handle(job: JobRequest, ctx: JobContext): Promise<JobOutput> {
      // a client that sends no params (Amethyst) gets the member's saved settings
      const params = parseFeedParams(withSavedSettings(job, ctx.services), defaults);
      // the same answer for a group we do not host and one the requester may not read: nothing to learn from it
      if (params.group && !mayReadGroup(ctx.services, params.group, job.customer)) throw new JobError(`restricted: no group "${params.group}" you can read here`);
      const ranked = await cache.through(o.rank.key(params), () => o.rank(params));
      if (ctx.cancelled()) return { content: '[]' };
      const served = o.pages.served(params.after, job.customer);
      const page = takePage(ranked, served ?? new Set(), params.maxResults, params.maxPerAuthor);
      await o.pages.record(job.event.id, job.customer, served, page.map((r) => r.id));
      const hint = ctx.relayUrl;
      const content =
        job.output === 'text/plain'
          ? page.map((r, i) => `${i + 1}. nostr:${nip19.noteEncode(r.id)} — ${r.detail ?? reasonText(r.reason)}`).join('\n')
          : JSON.stringify(page.map((r) => ['e', r.id, hint, r.reason, r.score.toFixed(4), r.detail ?? reasonText(r.reason)]));
      const tags = [['cursor', job.event.id]];
      return { content, tags };
    },
  };
}
