import { DecisionLog } from '../../policies/decisions.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { KIND_GENERIC_REPOST, KIND_LABEL, KIND_NOTE, KIND_REACTION, KIND_REPOST, KIND_ZAP_RECEIPT, PRIVATE_KINDS } from '../../relay/nostr/kinds.ts';
import type { Store } from '../../relay/store/store.ts';
import { hexBytes } from '../../relay/store/keys.ts';
import { scanIndex } from '../../relay/store/scan.ts';
import { scanRecords } from './records.ts';
import { groupOf } from '../../relay/nostr/tags.ts';

export interface Trend {
  /** The hashtag or topic. */
  name: string;
  now: number;
  before: number;
}

export interface EngagedPost {
  id: string;
  pubkey?: string;
  created_at?: number;
  snippet?: string;
  reactions: number;
  reposts: number;
  replies: number;
  zaps: number;
  zapSats: number;
  /** reactions + 2 × reposts + 2 × replies + 3 × zaps */
  score: number;
}

export interface Insights {
  /** Unix seconds: this period is [since, until], the one before it [previousSince, since). */
  since: number;
  until: number;
  previousSince: number;
  events: { now: number; before: number };
  hashtags: Trend[];
  /** Topics by the village labeler's topic labels (posts per topic); its hashtags while there are no such labels. */
  topics: Trend[];
  topicSource: 'labels' | 'hashtags';
  /** Topics (as `topics`) with more posts this period than the one before, the largest gain first. */
  rising: Trend[];
  engaged: EngagedPost[];
  members: {
    active: number;
    activeBefore: number;
    /** First event ever on this relay in this period. */
    new: string[];
    /** Active now, silent the period before, seen earlier. */
    returning: string[];
    /** Active in both periods. */
    continuing: number;
  };
  moderation: { policy: string; rule: string; action: string; now: number; before: number }[];
}

export interface InsightOptions {
  /** Period length in seconds (7 days: this week vs last week). */
  period: number;
  now?: number;
  /**
   * Kinds left out entirely besides PRIVATE_KINDS (nips.restrictedKinds): neither their content,
   * their ids, nor the reactions they drew are the village's business.
   */
  privateKinds: readonly number[];
  top?: number;
  /**
   * The village's own keys (DVMs, labeler, moderation, commons: relay/nostr/ownKeys.ts): not
   * members, their posts not the village's talk; only their topic labels count, as topics.
   */
  staff?: ReadonlySet<string>;
}

/** The topic namespace the village labeler writes (dvms/labels/namespaces.ts: NIP-32's "#t"). */
const TOPIC_NAMESPACE = '#t';

/** The post an engagement event points at: NIP-10 reply/root markers, else the last `e` tag (NIP-25). */
function target(e: NostrEvent): string | undefined {
  const es = e.tags.filter((t) => t[0] === 'e' && typeof t[1] === 'string' && t[1].length === 64);
  if (es.length === 0) return undefined;
  if (e.kind === KIND_NOTE) return (es.find((t) => t[3] === 'reply') ?? es.find((t) => t[3] === 'root') ?? es[es.length - 1])![1];
  return es[es.length - 1]![1];
}

/** Sats of a zap receipt (NIP-57), from the zap request's `amount` tag (millisats). */
function zapSats(e: NostrEvent): number {
  const desc = e.tags.find((t) => t[0] === 'description')?.[1];
  if (!desc) return 0;
  try {
    const req = JSON.parse(desc) as { tags?: string[][] };
    const msats = Number(req.tags?.find((t) => t[0] === 'amount')?.[1]);
    return Number.isFinite(msats) && msats > 0 ? Math.floor(msats / 1000) : 0;
  } catch {
    return 0;
  }
}

/** Topics that gained the most posts since the period before (more now than before). */
function risingOf(now: Map<string, number>, before: Map<string, number>, top: number): Trend[] {
  return [...now]
    .map(([name, n]) => ({ name, now: n, before: before.get(name) ?? 0 }))
    .filter((t) => t.now > t.before)
    .sort((a, b) => b.now - b.before - (a.now - a.before) || b.now - a.now || (a.name < b.name ? -1 : 1))
    .slice(0, top);
}

function trends(now: Map<string, number>, before: Map<string, number>, top: number): Trend[] {
  return [...now]
    .map(([name, n]) => ({ name, now: n, before: before.get(name) ?? 0 }))
    .sort((a, b) => b.now - a.now || b.now - b.before - (a.now - a.before) || (a.name < b.name ? -1 : 1))
    .slice(0, top);
}

const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/**
 * The questions a village asks of its own data: what it talked about this period and the
 * one before, which posts drew people in, who is active / new / back, and what moderation
 * decided, by rule. Reads two periods of events from the created_at index, plus the
 * policy engine's decision log.
 */
export function villageInsights(store: Store, opts: InsightOptions): Insights {
  const top = opts.top ?? 10;
  const until = opts.now ?? Math.floor(Date.now() / 1000);
  const since = until - opts.period;
  const previousSince = since - opts.period;
  const hidden = new Set([...PRIVATE_KINDS, ...opts.privateKinds]);
  const tags = [new Map<string, number>(), new Map<string, number>()] as const;
  const topics = [new Map<string, number>(), new Map<string, number>()] as const;
  const staff = opts.staff ?? new Set<string>();
  /** (post, topic) pairs counted: a post relabelled after a training run counts once. */
  const labelled = new Set<string>();
  const active = [new Set<string>(), new Set<string>()] as const;
  const counts = [0, 0];
  const posts = new Map<string, EngagedPost>();
  const post = (id: string) => {
    let p = posts.get(id);
    if (!p) posts.set(id, (p = { id, reactions: 0, reposts: 0, replies: 0, zaps: 0, zapSats: 0, score: 0 }));
    return p;
  };

  // A topic label counts in the period of the post it labels (a backfill labels old posts late).
  const countTopicLabels = (label: NostrEvent) => {
    if (!label.tags.some((t) => t[0] === 'L' && t[1] === TOPIC_NAMESPACE)) return;
    for (const target of label.tags) {
      if (target[0] !== 'e' || !target[1]) continue;
      const post = store.getById(target[1]);
      if (!post || hidden.has(post.kind) || post.createdAt < previousSince || post.createdAt > until) continue;
      const p = post.createdAt >= since ? 0 : 1;
      for (const l of label.tags) {
        if (l[0] !== 'l' || l[2] !== TOPIC_NAMESPACE || !l[1]) continue;
        const key = `${target[1]}:${l[1]}`;
        if (labelled.has(key)) continue;
        labelled.add(key);
        bump(topics[p], l[1].toLowerCase());
      }
    }
  };

  for (const rec of scanRecords(store.tables, { since: previousSince, until }, { now: until })) {
    if (hidden.has(rec.kind)) continue;
    const p = rec.createdAt >= since ? 0 : 1;
    const e = rec.event();
    // a NIP-29 group's events are its members' business: insights read none of them
    if (groupOf(e)) continue;
    counts[p]!++;
    if (staff.has(e.pubkey)) {
      if (e.kind === KIND_LABEL) countTopicLabels(e);
      continue;
    }
    // Zap receipts are signed by the zapper's wallet service, not a member.
    if (e.kind !== KIND_ZAP_RECEIPT) active[p].add(e.pubkey);
    const seen = new Set<string>();
    for (const t of e.tags) if (t[0] === 't' && t[1]) seen.add(t[1].toLowerCase().replace(/^#/, ''));
    for (const t of seen) bump(tags[p], t);
    if (p !== 0) continue;
    const to = target(e);
    if (!to) continue;
    if (e.kind === KIND_REACTION) post(to).reactions++;
    else if (e.kind === KIND_REPOST || e.kind === KIND_GENERIC_REPOST) post(to).reposts++;
    else if (e.kind === KIND_NOTE) post(to).replies++;
    else if (e.kind === KIND_ZAP_RECEIPT) {
      const x = post(to);
      x.zaps++;
      x.zapSats += zapSats(e);
    }
  }

  // A reaction to a DM is public, the DM is not: posts of private kinds are not listed, not even by id.
  const engaged = [...posts.values()]
    .filter((x) => {
      const rec = store.getById(x.id);
      return !rec || (!hidden.has(rec.kind) && !groupOf(rec.event()));
    })
    .map((x) => ({ ...x, score: x.reactions + 2 * x.reposts + 2 * x.replies + 3 * x.zaps }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, top);
  for (const x of engaged) {
    const rec = store.getById(x.id);
    if (!rec || rec.held) continue;
    const e = rec.event();
    Object.assign(x, { pubkey: e.pubkey, created_at: e.created_at, snippet: e.content.replace(/\s+/g, ' ').slice(0, 80) });
  }

  const seenBefore = (pubkey: string, beforeTs: number): boolean => {
    for (const _ of scanIndex(store.tables.pubkeys, hexBytes(pubkey), undefined, beforeTs - 1, true, 1)) return true;
    return false;
  };
  const newcomers: string[] = [];
  const returning: string[] = [];
  let continuing = 0;
  for (const pk of active[0]) {
    if (active[1].has(pk)) continuing++;
    else if (!seenBefore(pk, since)) newcomers.push(pk);
    // Not active the period before, yet seen before this one: seen before that one, back now.
    else returning.push(pk);
  }

  const moderation = new Map<string, { policy: string; rule: string; action: string; now: number; before: number }>();
  const log = new DecisionLog(store.env);
  for (const d of log.list({ since: previousSince * 1000, until: until * 1000, limit: Number.MAX_SAFE_INTEGER })) {
    const rule = d.rule ?? '(no rule)';
    const key = `${d.policy}\u0000${rule}\u0000${d.action}`;
    let row = moderation.get(key);
    if (!row) moderation.set(key, (row = { policy: d.policy, rule, action: d.action, now: 0, before: 0 }));
    const n = 1 + (d.repeats ?? 0);
    if (d.at >= since * 1000) row.now += n;
    else row.before += n;
  }

  const topicSource = labelled.size > 0 ? 'labels' : 'hashtags';
  const topicCounts = topicSource === 'labels' ? topics : tags;
  return {
    since,
    until,
    previousSince,
    events: { now: counts[0]!, before: counts[1]! },
    hashtags: trends(tags[0], tags[1], top),
    topics: trends(...topicCounts, top),
    topicSource,
    rising: risingOf(...topicCounts, top),
    engaged,
    members: { active: active[0].size, activeBefore: active[1].size, new: newcomers.sort(), returning: returning.sort(), continuing },
    moderation: [...moderation.values()].sort((a, b) => b.now - a.now || b.before - a.before),
  };
}
