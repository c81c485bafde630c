import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools';
import type { NostrEvent } from '../../relay/nostr/types.ts';

const DAY = 86_400;

/** A deterministic pseudo-random sequence, so a failing test sees the same village again. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Village {
  events: NostrEvent[];
  members: { sk: Uint8Array; pubkey: string }[];
  now: number;
  /** Pubkeys by role in the last 7 days (see insights). */
  newcomers: string[];
  returning: string[];
  /** The post that gets the most engagement this week. */
  starPost: NostrEvent;
}

const sign = (sk: Uint8Array, t: { kind: number; created_at: number; content?: string; tags?: string[][] }): NostrEvent =>
  JSON.parse(JSON.stringify(finalizeEvent({ content: '', tags: [], ...t }, sk))) as NostrEvent;

/**
 * A small generated village over two weeks: regulars posting with hashtags (#garden this
 * week, #harvest last week), one newcomer and one returning member this week, reactions,
 * reposts, replies and a zap on one star post, and a DM.
 */
export function generateVillage(opts: { seed?: number; posts?: number; now?: number } = {}): Village {
  const rand = rng(opts.seed ?? 7);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const members = Array.from({ length: 8 }, () => {
    const sk = generateSecretKey();
    return { sk, pubkey: getPublicKey(sk) };
  });
  const [regularA, regularB, regularC, , , , newcomer, returner] = members as [typeof members[0], typeof members[0], typeof members[0], ...typeof members];
  const regulars = [regularA, regularB, regularC];
  const events: NostrEvent[] = [];
  const posts = opts.posts ?? 40;
  // Last week (8..13 days ago): #harvest; this week (0..6 days ago): #garden.
  for (let i = 0; i < posts; i++) {
    const thisWeek = i % 2 === 0;
    const who = regulars[Math.floor(rand() * regulars.length)]!;
    const age = thisWeek ? Math.floor(rand() * 6 * DAY) + 60 : 8 * DAY + Math.floor(rand() * 5 * DAY);
    const tag = thisWeek ? 'garden' : 'harvest';
    events.push(sign(who.sk, { kind: 1, created_at: now - age, content: `tomatoes and ${tag} news ${i} #${tag}`, tags: [['t', tag]] }));
  }
  // The returning member posted long ago, then again this week.
  events.push(sign(returner!.sk, { kind: 1, created_at: now - 30 * DAY, content: 'first time here', tags: [] }));
  events.push(sign(returner!.sk, { kind: 1, created_at: now - 2 * DAY, content: 'back again with compost tips #compost', tags: [['t', 'compost']] }));
  events.push(sign(newcomer!.sk, { kind: 0, created_at: now - DAY, content: '{"name":"newbie"}' }));
  const starPost = sign(newcomer!.sk, { kind: 1, created_at: now - DAY, content: 'hello village, where do I get seeds? #garden', tags: [['t', 'garden']] });
  events.push(starPost);
  const e = (id: string, extra: string[] = []) => ['e', id, '', ...extra];
  for (const [i, m] of [regularA, regularB, regularC, returner!].entries()) {
    events.push(sign(m.sk, { kind: 7, created_at: now - DAY + 100 + i, content: '+', tags: [e(starPost.id), ['p', starPost.pubkey]] }));
  }
  events.push(sign(regularA.sk, { kind: 6, created_at: now - DAY + 200, content: JSON.stringify(starPost), tags: [e(starPost.id), ['p', starPost.pubkey]] }));
  events.push(sign(regularB.sk, { kind: 1, created_at: now - DAY + 300, content: 'welcome! try the market', tags: [e(starPost.id, ['root']), ['p', starPost.pubkey]] }));
  const zapRequest = sign(regularC.sk, { kind: 9734, created_at: now - DAY + 400, tags: [['amount', '21000'], e(starPost.id), ['p', starPost.pubkey]] });
  events.push(
    sign(members[5]!.sk, {
      kind: 9735,
      created_at: now - DAY + 401,
      tags: [['p', starPost.pubkey], e(starPost.id), ['description', JSON.stringify(zapRequest)]],
    }),
  );
  events.push(sign(regularA.sk, { kind: 4, created_at: now - 3600, content: 'secret?iv=abc', tags: [['p', regularB.pubkey]] }));
  return { events, members, now, newcomers: [newcomer!.pubkey], returning: [returner!.pubkey], starPost };
}
