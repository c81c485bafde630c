import type { BenchKey, Signer } from '../bench/util/sign.ts';
import { signToJson } from '../bench/util/sign.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { EvalClient, JobOutcome } from './client.ts';

/** Job kinds the evaluation asks for (NIP-90 content discovery; the tagging DVM announces 5320). */
export const FEED_KIND = 5300;
export const TAGGING_KIND = 5320;

/** The DVMs by their announcement's `d` tag (kind 31990), as a client finds them. */
export async function findDvms(client: EvalClient): Promise<Map<string, { pubkey: string; kind: number; content: string }>> {
  const out = new Map<string, { pubkey: string; kind: number; content: string }>();
  for (const e of await client.req({ kinds: [31990] })) {
    const d = e.tags.find((t) => t[0] === 'd')?.[1];
    const k = Number(e.tags.find((t) => t[0] === 'k')?.[1]);
    if (d) out.set(d, { pubkey: e.pubkey, kind: k, content: e.content });
  }
  return out;
}

/** A job request signed by `key` (a member), addressed to one DVM. */
export function jobRequest(signer: Signer, key: BenchKey, kind: number, dvm: string, tags: string[][]): NostrEvent {
  const json = signToJson(signer, key, { kind, created_at: Math.floor(Date.now() / 1000), tags: [['p', dvm], ...tags], content: '' });
  return JSON.parse(json) as NostrEvent;
}

/** Every job outcome counted, errors and timeouts with their messages: nothing is dropped. */
export class JobTally {
  ok = 0;
  error = 0;
  timeout = 0;
  refused = 0;
  readonly messages = new Map<string, number>();

  add(o: JobOutcome): void {
    this[o.status]++;
    if (o.status === 'error' || o.status === 'refused') {
      const m = `${o.status}: ${o.message}`.slice(0, 160);
      this.messages.set(m, (this.messages.get(m) ?? 0) + 1);
    }
  }

  get total(): number {
    return this.ok + this.error + this.timeout + this.refused;
  }

  summary(): { ok: number; error: number; timeout: number; refused: number; messages: Record<string, number> } {
    return { ok: this.ok, error: this.error, timeout: this.timeout, refused: this.refused, messages: Object.fromEntries(this.messages) };
  }
}

/** The ids of a feed result (`[["e", id, ...], ...]`), best first; [] for a result that does not parse. */
export function feedIds(result: NostrEvent): string[] {
  try {
    const list = JSON.parse(result.content) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((t): t is string[] => Array.isArray(t) && t[0] === 'e' && typeof t[1] === 'string').map((t) => t[1]!);
  } catch {
    return [];
  }
}

/** The hashtags a tagging result suggests (`["t", tag, score]`), best first. */
export function suggestedTags(result: NostrEvent): string[] {
  try {
    const list = JSON.parse(result.content) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((t): t is string[] => Array.isArray(t) && t[0] === 't' && typeof t[1] === 'string').map((t) => t[1]!.toLowerCase());
  } catch {
    return [];
  }
}

export type { JobOutcome };
