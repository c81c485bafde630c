import { parsePubkey } from '../../relay/nostr/keys.ts';
import { JobError, type JobRequest, type ParamDoc } from '../types.ts';

/** A people-discovery request's settings, validated. */
export interface PeopleParams {
  /** Whom the suggestions are for (hex). */
  user: string;
  maxResults: number;
  /** 0: anyone in the village; n: only people within n follow hops (2: follows of follows). */
  wotHops: number;
  /** Hashtags to meet people about; default the member's own. */
  topics: string[];
}

export const PEOPLE_DEFAULTS = { maxResults: 10, maxResultsCap: 100, wotHops: 2 } as const;

export const PEOPLE_PARAMS: Record<string, ParamDoc> = {
  max_results: { required: false, type: 'integer', default: String(PEOPLE_DEFAULTS.maxResults), description: `How many people to suggest (1-${PEOPLE_DEFAULTS.maxResultsCap}; larger values are capped).` },
  wot_hops: {
    required: false,
    type: 'integer',
    default: String(PEOPLE_DEFAULTS.wotHops),
    description: 'Only people within this many follow hops of you (2 = followed by people you follow, 3 = one hop further); 0 = anyone active in the village. Nearer people come first.',
  },
  topics: { required: false, type: 'string[]', description: 'Hashtags to meet people about (comma-separated or repeated); default: your own topics. Only people who post or engage with these are suggested.' },
  user: { required: false, type: 'pubkey', description: 'Whom the suggestions are for (hex or npub); `p` is accepted too. Default: the author of the request.' },
};

/** The last value of a param (a repeated param: the last one counts). */
const last = (job: JobRequest, key: string): string | undefined => job.params.get(key)?.at(-1)?.[0];

function bounded(job: JobRequest, key: string, min: number, max: number, fallback: number): number {
  const raw = last(job, key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new JobError(`param ${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  return Math.min(n, max);
}

/** Reads a 5301 request's params; unknown ones are ignored, a malformed known one is an error. */
export function parsePeopleParams(job: JobRequest): PeopleParams {
  const who = last(job, 'user') ?? last(job, 'p');
  const user = who === undefined ? job.customer : parsePubkey(who);
  if (user === undefined) throw new JobError(`param user must be a hex pubkey or an npub, got "${who}"`);
  const topics = ['topics', 'topic'].flatMap((k) => (job.params.get(k) ?? []).flat()).flatMap((v) => v.split(','));
  return {
    user,
    maxResults: bounded(job, 'max_results', 1, PEOPLE_DEFAULTS.maxResultsCap, PEOPLE_DEFAULTS.maxResults),
    wotHops: bounded(job, 'wot_hops', 0, 6, PEOPLE_DEFAULTS.wotHops),
    topics: [...new Set(topics.map((t) => t.trim().replace(/^#/, '').toLowerCase()).filter(Boolean))],
  };
}
