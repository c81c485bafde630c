import { parsePubkey } from '../../relay/nostr/keys.ts';
import { JobError, type JobRequest, type ParamDoc } from '../types.ts';
import { BAIT_DESCRIPTION } from './bait.ts';
import { isHex64 } from '../../relay/nostr/hex.ts';
import { FEED_ALGORITHMS } from '../../config/sections/dvms.ts';

export const ALGORITHMS = FEED_ALGORITHMS;
export type Algorithm = (typeof ALGORITHMS)[number];

/** A member's settings for one feed request, validated. */
export interface FeedParams {
  algorithm: Algorithm;
  /** Whom the feed is for (hex). */
  user: string;
  maxResults: number;
  topics: string[];
  excludeTopics: string[];
  /** 0: anyone; n: only authors within n follow hops of the user. */
  wotHops: number;
  recencyHalfLifeH: number;
  maxPerAuthor: number;
  noEngagementBait: boolean;
  hideLabels: string[];
  language?: string;
  /** How much each signal counts in for-you (0 = not at all; 1 = as tuned). */
  weights: SignalWeights;
  /** A NIP-29 group (`h`): the feed of its posts only. Without it, no group's posts. */
  group?: string;
  /** The page this one continues (our cursor, or noStrudel's chained `i`). */
  after?: string;
}

/** The member's say in for-you: each multiplies one signal. */
export interface SignalWeights {
  /** Closeness to what the member posts and engages with (by meaning). */
  relevance: number;
  /** What people with the member's taste engaged with (co-likes), and what people they follow engaged with. */
  social: number;
  /** Authors in the member's trust circles (follows, follows of follows). */
  trust: number;
  /** Engagement across the village, weighted by trust in who engaged. */
  popularity: number;
  /** Newness against the other signals: 0 ignores age within the window, 1 as tuned, 3 newest first. */
  freshness: number;
}

export const WEIGHT_PARAMS: Record<keyof SignalWeights, { param: string; description: string }> = {
  relevance: { param: 'relevance_weight', description: 'How much closeness to what you post, like, repost and bookmark counts, by meaning rather than wording (0-5; 0 = not at all).' },
  social: { param: 'social_weight', description: 'How much it counts that people with your taste (who liked what you liked) or people you follow engaged with a post (0-5).' },
  trust: { param: 'trust_weight', description: 'How much it counts that the author is in your trust circles: people you follow, then the people they follow (0-5).' },
  popularity: { param: 'popularity_weight', description: 'How much engagement across the village counts, weighted by trust in who engaged (0-5).' },
  freshness: { param: 'freshness_weight', description: 'How much newness counts against the other signals (0-5): 0 ignores age within the window, higher puts newer posts first.' },
};

export interface FeedDefaults {
  algorithm: Algorithm;
  maxResults: number;
  maxResultsCap: number;
  hideLabels: string[];
}

const HALF_LIFE: Record<Algorithm, number> = { 'for-you': 24, trending: 6, topic: 48, following: 24 };

/** The params as announced in `nip90Params` (typed, with defaults and descriptions). */
export function paramDocs(d: FeedDefaults): Record<string, ParamDoc> {
  return {
    max_results: { required: false, type: 'integer', default: String(d.maxResults), min: 1, max: d.maxResultsCap, description: `How many items per page (1-${d.maxResultsCap}; larger values are capped).` },
    user: { required: false, type: 'pubkey', description: 'Whom the feed is for (hex or npub); `p` is accepted too. Default: the author of the request.' },
    algorithm: { required: false, type: 'enum', values: [...ALGORITHMS], default: d.algorithm, description: 'Which ranking to use; this DVM\'s own by default.' },
    topics: { required: false, type: 'string[]', description: 'Hashtags or short texts to favour (topic feed: what to show). Comma-separated, or repeated params.' },
    exclude_topics: {
      required: false,
      type: 'string[]',
      description: 'Topics to leave out: posts with the hashtag or the word, and posts about it in other words (by the meaning the village\'s posts taught, and the topic labels).',
    },
    wot_hops: { required: false, type: 'integer', default: d.algorithm === 'following' ? '1' : '0', min: 0, max: 6, description: 'Only authors within this many follow hops of you (1 = people you follow, 2 = and those they follow); 0 = anyone.' },
    recency_half_life_h: { required: false, type: 'number', default: String(HALF_LIFE[d.algorithm]), min: 0.5, max: 720, description: 'After how many hours a post counts half as much for being new (0.5-720).' },
    max_per_author: { required: false, type: 'integer', default: d.algorithm === 'following' ? '100' : '3', min: 1, max: 100, description: 'Most posts of one author per page (1-100).' },
    no_engagement_bait: { required: false, type: 'boolean', default: 'false', description: BAIT_DESCRIPTION },
    hide_labels: {
      required: false,
      type: 'string[]',
      default: d.hideLabels.join(','),
      description: 'NIP-32 labels (from the village\'s trusted labelers, or the post\'s own content-warning) to hide; "none" hides nothing.',
    },
    language: { required: false, type: 'string', description: 'ISO-639-1 code: leave out posts labelled with another language (unlabelled posts stay).' },
    ...(d.algorithm !== 'for-you' ? {} : Object.fromEntries(
      Object.values(WEIGHT_PARAMS).map(({ param, description }) => [param, { required: false, type: 'number', default: '1', min: 0, max: 5, description } satisfies ParamDoc]),
    )),
    group: {
      required: false,
      type: 'string',
      description: 'A NIP-29 group hosted by this relay (its id, the `h` of its posts): this feed inside the group, for a group that lets the village\'s models read it (members only for a private group). Without it, group posts are left out.',
    },
    cursor: { required: false, type: 'string', description: 'Next page: the `cursor` tag of the previous result. A chained ["i", <previous request id>, "event"] works too (noStrudel).' },
  };
}

function one(job: JobRequest, key: string): string | undefined {
  return job.params.get(key)?.at(-1)?.[0];
}

function list(job: JobRequest, key: string): string[] {
  return (job.params.get(key) ?? [])
    .flat()
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().replace(/^#/, '').toLowerCase())
    .filter(Boolean);
}

function int(job: JobRequest, key: string, min: number, max: number, fallback: number, cap = false): number {
  const v = one(job, key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || (!cap && n > max)) throw new JobError(`param ${key} must be an integer from ${min} to ${max}, got "${v}"`);
  return Math.min(n, max);
}

function num(job: JobRequest, key: string, min: number, max: number, fallback: number): number {
  const v = one(job, key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new JobError(`param ${key} must be a number from ${min} to ${max}, got "${v}"`);
  return n;
}

function bool(job: JobRequest, key: string): boolean {
  const v = one(job, key)?.toLowerCase();
  if (v === undefined) return false;
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new JobError(`param ${key} must be true or false, got "${v}"`);
}

function pubkey(value: string, key: string): string {
  const pk = parsePubkey(value);
  if (pk === undefined) throw new JobError(`param ${key} must be a hex pubkey or an npub, got "${value}"`);
  return pk;
}

/** NIP-29 group ids: letters, digits, - and _ (the relay's own rule is stricter; this only keeps junk out). */
function groupParam(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) throw new JobError(`param group must be a group id (letters, digits, - and _), got "${v.slice(0, 70)}"`);
  return v;
}

/** Reads the params of a 5300 request; unknown params are ignored, malformed known ones are an error. */
export function parseFeedParams(job: JobRequest, d: FeedDefaults): FeedParams {
  const algo = one(job, 'algorithm') ?? d.algorithm;
  if (!(ALGORITHMS as readonly string[]).includes(algo)) throw new JobError(`param algorithm must be one of ${ALGORITHMS.join(', ')}, got "${algo}"`);
  const algorithm = algo as Algorithm;
  const u = one(job, 'user') ?? one(job, 'p');
  const topics = list(job, 'topics').concat(list(job, 'topic'));
  for (const i of job.inputs) if (i.type === 'text' && i.value.trim()) topics.push(i.value.trim().toLowerCase());
  const hide = list(job, 'hide_labels');
  const language = one(job, 'language')?.toLowerCase();
  if (language !== undefined && !/^[a-z]{2}$/.test(language)) throw new JobError(`param language must be an ISO-639-1 code such as "en", got "${language}"`);
  // noStrudel's next page: an `i` naming the previous request (type event or job)
  const chained = job.inputs.find((i) => (i.type === 'event' || i.type === 'job') && isHex64(i.value))?.value;
  const cursor = one(job, 'cursor');
  if (cursor !== undefined && !isHex64(cursor)) throw new JobError(`param cursor is not a cursor this DVM gave out: "${cursor}"`);
  return {
    algorithm,
    user: u === undefined ? job.customer : pubkey(u, one(job, 'user') !== undefined ? 'user' : 'p'),
    maxResults: int(job, 'max_results', 1, d.maxResultsCap, d.maxResults, true),
    topics: [...new Set(topics)],
    excludeTopics: list(job, 'exclude_topics'),
    wotHops: int(job, 'wot_hops', 0, 6, algorithm === 'following' ? 1 : 0),
    recencyHalfLifeH: num(job, 'recency_half_life_h', 0.5, 720, HALF_LIFE[algorithm]),
    maxPerAuthor: int(job, 'max_per_author', 1, 100, algorithm === 'following' ? 100 : 3),
    noEngagementBait: bool(job, 'no_engagement_bait'),
    hideLabels: hide.length === 0 ? d.hideLabels.map((l) => l.toLowerCase()) : hide.includes('none') ? [] : hide,
    language,
    group: groupParam(one(job, 'group')),
    weights: Object.fromEntries(Object.entries(WEIGHT_PARAMS).map(([k, { param }]) => [k, num(job, param, 0, 5, 1)])) as unknown as SignalWeights,
    after: cursor ?? chained,
  };
}

/** The cache key of a ranking: everything that changes the order, nothing that only pages it. */
export function rankingKey(p: FeedParams): string {
  const { maxResults: _m, after: _a, maxPerAuthor: _x, ...rest } = p;
  return JSON.stringify(rest);
}
