import { signEvent } from '../../relay/nostr/sign.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { encryptTo } from './crypto.ts';
import type { DvmKey } from './keys.ts';
import type { JobOutput, JobRequest } from '../types.ts';

export type FeedbackStatus = 'payment-required' | 'processing' | 'error' | 'success' | 'partial';

export function sign(key: DvmKey, kind: number, content: string, tags: string[][], createdAt = Math.floor(Date.now() / 1000)): NostrEvent {
  return signEvent({ kind, content, tags, created_at: createdAt }, key.sk);
}

/** The `e` and `p` tags every feedback and result carries (NIP-90). */
function jobTags(job: JobRequest, relayHint: string): string[][] {
  return [
    ['e', job.event.id, relayHint],
    ['p', job.customer],
  ];
}

/** Kind 7000 feedback. For an encrypted job the extra text travels only in the encrypted content. */
export function feedbackEvent(key: DvmKey, job: JobRequest, relayHint: string, status: FeedbackStatus, extra = ''): NostrEvent {
  const tags = jobTags(job, relayHint);
  if (job.encrypted) {
    tags.unshift(['status', status]);
    tags.push(['encrypted']);
    return sign(key, 7000, extra ? encryptTo(job.encrypted, key.sk, job.customer, extra) : '', tags);
  }
  tags.unshift(extra ? ['status', status, extra] : ['status', status]);
  return sign(key, 7000, '', tags);
}

/**
 * The result, kind = request + 1000: `request` (the stringified request), `e`, `p`, the request's
 * `i` tags in clear only when the request was in clear, `alt`, `status success`, and the content
 * encrypted in the request's scheme when it was encrypted.
 */
export function resultEvent(key: DvmKey, job: JobRequest, relayHint: string, output: JobOutput): NostrEvent {
  const tags: string[][] = [['request', JSON.stringify(job.event)], ...jobTags(job, relayHint)];
  if (!job.encrypted) for (const t of job.event.tags) if (t[0] === 'i') tags.push(t);
  tags.push(['alt', `This is the result of a NIP90 DVM task with kind ${job.kind}`], ['status', 'success']);
  tags.push(...(output.tags ?? []));
  if (job.encrypted) {
    tags.push(['encrypted']);
    return sign(key, job.kind + 1000, encryptTo(job.encrypted, key.sk, job.customer, output.content), tags);
  }
  return sign(key, job.kind + 1000, output.content, tags);
}
