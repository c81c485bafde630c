import { KIND_APP_DATA } from '../../relay/nostr/kinds.ts';
import type { RelayServices } from '../../relay/services.ts';
import type { JobRequest } from '../types.ts';

/** The `d` of the member's saved feed settings (NIP-78 kind 30078, written by the member page or any client). */
export const FEED_SETTINGS_D = 'hamlet/feed-settings';

/** Keys never taken from saved settings: they describe one request, not a preference. */
const PER_REQUEST = new Set(['cursor', 'user', 'p', 'algorithm']);

/**
 * The member's saved settings as params: the content of their newest kind 30078 event with
 * d = "hamlet/feed-settings", a JSON object of param names (as in nip90Params) to a string or a
 * list of strings. Anything else in it is ignored; a broken event is as good as none (the
 * member still gets a feed).
 */
export function savedSettings(services: Pick<RelayServices, 'query'>, pubkey: string): Map<string, string[][]> {
  const e = services.query([{ kinds: [KIND_APP_DATA], authors: [pubkey], tags: new Map([['d', [FEED_SETTINGS_D]]]), limit: 1 }])[0];
  const out = new Map<string, string[][]>();
  if (!e) return out;
  let body: unknown;
  try {
    body = JSON.parse(e.content);
  } catch {
    return out;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (PER_REQUEST.has(key) || !/^[a-z_]{1,40}$/.test(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    const strings = values.filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').map(String).slice(0, 100);
    if (strings.length > 0) out.set(key, Array.isArray(value) ? [strings.map((v) => v.slice(0, 200))] : [[strings[0]!.slice(0, 200)]]);
  }
  return out;
}

/** The request with the customer's saved settings under it: what the request says wins, key by key. */
export function withSavedSettings(job: JobRequest, services: Pick<RelayServices, 'query'>): JobRequest {
  const saved = savedSettings(services, job.customer);
  if (saved.size === 0) return job;
  for (const [k, v] of job.params) saved.set(k, v);
  return { ...job, params: saved };
}
