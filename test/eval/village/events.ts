import { benchKey, signToJson, type BenchKey, type Signer } from '../../bench/util/sign.ts';
import type { NostrEvent } from '../../../relay/nostr/types.ts';
import { DAY, type Village } from './generator.ts';

/**
 * The village as signed Nostr events at a given "now": what happened before the split (profiles,
 * follow lists, posts, reactions, reposts, replies, oldest first) and, held out, what each member
 * engaged with after it. Keys are reproducible from the seed (benchKey).
 */
export interface VillageEvents {
  keys: BenchKey[];
  /** Signed event JSON, before the split, oldest first. */
  before: string[];
  /** Event id of each root post (by Post.index). */
  postIds: string[];
  /** Per member: posts first engaged with after the split (never before it). */
  heldOut: Map<number, Set<string>>;
}

export function villageKeys(village: Village): BenchKey[] {
  return village.members.map((m) => benchKey(`eval-village-${village.options.seed}`, m.index));
}

export function villageEvents(village: Village, now: number, signer: Signer): VillageEvents {
  const keys = villageKeys(village);
  const out: { at: number; json: string }[] = [];
  const sign = (author: number, at: number, kind: number, content: string, tags: string[][]) => {
    const json = signToJson(signer, keys[author]!, { kind, created_at: now + at, tags, content });
    out.push({ at, json });
    return json.slice(7, 71);
  };
  const start = -(village.options.days + 1) * DAY;
  for (const m of village.members) {
    const name = m.spam ? `Best Deals ${m.index}` : `Villager ${m.index}`;
    sign(m.index, start, 0, JSON.stringify({ name, about: m.spam ? 'Offers every day, DM for prices' : 'Lives in the village' }), []);
    sign(m.index, start + 60, 3, '', m.follows.map((f) => ['p', keys[f]!.pubkey]));
  }
  const postIds: string[] = [];
  for (const p of village.posts) {
    const content = p.hashtags.length ? `${p.text} ${p.hashtags.map((t) => `#${t}`).join(' ')}` : p.text;
    postIds[p.index] = sign(p.author, p.at, 1, content, p.hashtags.map((t) => ['t', t]));
  }
  const heldOut = new Map<number, Set<string>>();
  const engagedBefore = new Set<string>();
  for (const e of village.engagements) {
    const id = postIds[e.post]!;
    const author = keys[village.posts[e.post]!.author]!.pubkey;
    if (e.at < 0) {
      engagedBefore.add(`${e.member}:${id}`);
      if (e.kind === 1) sign(e.member, e.at, 1, e.text ?? '', [['e', id, '', 'root'], ['p', author]]);
      else sign(e.member, e.at, e.kind, e.kind === 7 ? '+' : '', [['e', id], ['p', author], ['k', '1']]);
    } else if (!engagedBefore.has(`${e.member}:${id}`)) {
      let set = heldOut.get(e.member);
      if (!set) heldOut.set(e.member, (set = new Set()));
      set.add(id);
    }
  }
  out.sort((a, b) => a.at - b.at);
  return { keys, before: out.map((o) => o.json), postIds, heldOut };
}

export const parseEvent = (json: string): NostrEvent => JSON.parse(json) as NostrEvent;
