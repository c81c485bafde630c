import { nip19 } from 'nostr-tools';
import { signEvent } from '../../relay/nostr/sign.ts';
import { KIND_LABEL, KIND_METADATA, KIND_NOTE } from '../../relay/nostr/kinds.ts';
import type { Filter, NostrEvent } from '../../relay/nostr/types.ts';
import type { Store } from '../../relay/store/store.ts';
import type { Relay } from '../../relay/relay.ts';

const DAY = 86_400;
/** How far back "members who write about the same" are looked for. */
const LOOKBACK_DAYS = 30;
/** Most posts read per query (a village's month). */
const MAX_READ = 100_000;
/** The topic namespace the village labeler writes (dvms/labels/namespaces.ts: NIP-32's "#t"). */
const TOPIC_NAMESPACE = '#t';

export interface WelcomeSuggestion {
  pubkey: string;
  /** From their kind 0, when they have one. */
  name?: string;
  /** The newcomer's topics they write about too (empty: suggested as one of the village's most active). */
  shared: string[];
}

export interface WelcomeDraft {
  newcomer: string;
  post: { id: string; created_at: number; snippet: string; topics: string[] };
  suggestions: WelcomeSuggestion[];
  /** The drafted reply's text. */
  reply: string;
}

export interface WelcomeOptions {
  /** Newcomers whose first event here is in the last `days` days. */
  days: number;
  now?: number;
  /** Members named per welcome. */
  suggestions: number;
  /** The village's own keys (DVMs, labeler, moderation, commons): never newcomers, never suggested; only their topic labels count. */
  staff: ReadonlySet<string>;
  relayName: string;
}

const read = (store: Store, filters: Filter[], now: number): NostrEvent[] => store.query(filters, { now }).map((r) => r.event());
const hashtags = (e: NostrEvent): string[] => [...new Set(e.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]!.toLowerCase().replace(/^#/, '')))];
const isTopLevel = (e: NostrEvent): boolean => !e.tags.some((t) => t[0] === 'e');

/** The topics the village's labeler gave an event (kind 1985 in the topic namespace, by the village's own keys). */
function labelledTopics(store: Store, id: string, staff: ReadonlySet<string>, now: number): string[] {
  if (staff.size === 0) return [];
  const labels = read(store, [{ kinds: [KIND_LABEL], authors: [...staff], tags: new Map([['e', [id]], ['L', [TOPIC_NAMESPACE]]]), limit: 100 }], now);
  return labels.flatMap((l) => l.tags.filter((t) => t[0] === 'l' && t[2] === TOPIC_NAMESPACE && t[1]).map((t) => t[1]!.toLowerCase()));
}

function displayName(store: Store, pubkey: string, now: number): string | undefined {
  const profile = read(store, [{ kinds: [KIND_METADATA], authors: [pubkey], limit: 1 }], now)[0];
  if (!profile) return undefined;
  try {
    const c = JSON.parse(profile.content) as { display_name?: unknown; name?: unknown };
    const name = typeof c.display_name === 'string' && c.display_name.trim() ? c.display_name : c.name;
    return typeof name === 'string' && name.trim() ? name.trim().slice(0, 40) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Members a newcomer may like: those who wrote about the first post's topics (its hashtags and
 * the labeler's topic labels) in the last month, most posts first; when the post has no topic
 * or nobody shares one, the month's most active posters.
 */
function membersFor(store: Store, newcomer: string, topics: string[], o: WelcomeOptions, now: number): WelcomeSuggestion[] {
  const since = now - LOOKBACK_DAYS * DAY;
  const who = new Map<string, { n: number; shared: Set<string> }>();
  const count = (pk: string, topic?: string) => {
    if (pk === newcomer || o.staff.has(pk)) return;
    const w = who.get(pk) ?? { n: 0, shared: new Set<string>() };
    w.n++;
    if (topic) w.shared.add(topic);
    who.set(pk, w);
  };
  if (topics.length > 0) {
    for (const e of read(store, [{ kinds: [KIND_NOTE], since, until: now, tags: new Map([['t', topics]]), limit: MAX_READ }], now)) for (const t of hashtags(e)) if (topics.includes(t)) count(e.pubkey, t);
    const labels = o.staff.size > 0 ? read(store, [{ kinds: [KIND_LABEL], authors: [...o.staff], since, tags: new Map([['L', [TOPIC_NAMESPACE]], ['l', topics]]), limit: MAX_READ }], now) : [];
    for (const l of labels) {
      const topic = l.tags.find((t) => t[0] === 'l' && t[2] === TOPIC_NAMESPACE && topics.includes(t[1] ?? ''))?.[1];
      for (const t of l.tags) {
        const author = t[0] === 'e' && t[1] ? store.getById(t[1])?.event().pubkey : undefined;
        if (author) count(author, topic);
      }
    }
  }
  if (who.size === 0) for (const e of read(store, [{ kinds: [KIND_NOTE], since, until: now, limit: MAX_READ }], now)) count(e.pubkey);
  return [...who]
    .sort((a, b) => b[1].shared.size - a[1].shared.size || b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.suggestions)
    .map(([pubkey, w]) => ({ pubkey, name: displayName(store, pubkey, now), shared: [...w.shared].sort() }));
}

function replyText(relayName: string, suggestions: WelcomeSuggestion[]): string {
  const intro = `Welcome to ${relayName}! Glad you are here.`;
  if (suggestions.length === 0) return intro;
  const named = suggestions.map((s) => {
    const about = s.shared.length > 0 ? `also writes about ${s.shared.map((t) => `#${t}`).join(', ')}` : 'one of our regulars';
    return `nostr:${nip19.npubEncode(s.pubkey)}${s.name ? ` (${s.name}, ${about})` : ` (${about})`}`;
  });
  const lead = suggestions.some((s) => s.shared.length > 0) ? 'You may like to meet' : 'Some people you may like to meet';
  return `${intro} ${lead}: ${named.join('; ')}.`;
}

/**
 * Drafts a welcome for each newcomer (first event on this relay within the last `days`) who has
 * posted: a reply to their first top-level post naming members they may like. Only drafts:
 * sending is `welcomeEvent` and the command's decision.
 */
export function draftWelcomes(store: Store, o: WelcomeOptions): WelcomeDraft[] {
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const since = now - o.days * DAY;
  const firstPost = new Map<string, NostrEvent>();
  // newest first: the last one seen per author is their first
  for (const e of read(store, [{ kinds: [KIND_NOTE], since, until: now, limit: MAX_READ }], now)) if (isTopLevel(e) && !o.staff.has(e.pubkey)) firstPost.set(e.pubkey, e);
  const drafts: WelcomeDraft[] = [];
  for (const [pubkey, post] of firstPost) {
    const earlier = read(store, [{ authors: [pubkey], until: since - 1, limit: 1 }], now);
    if (earlier.length > 0) continue;
    const topics = [...new Set([...hashtags(post), ...labelledTopics(store, post.id, o.staff, now)])];
    const suggestions = membersFor(store, pubkey, topics, o, now);
    drafts.push({
      newcomer: pubkey,
      post: { id: post.id, created_at: post.created_at, snippet: post.content.replace(/\s+/g, ' ').slice(0, 80), topics },
      suggestions,
      reply: replyText(o.relayName, suggestions),
    });
  }
  return drafts.sort((a, b) => a.post.created_at - b.post.created_at || (a.newcomer < b.newcomer ? -1 : 1));
}

/** The welcome as a NIP-10 reply to the first post, tagging the newcomer (the members named are mentioned in the text only). */
export function welcomeEvent(d: WelcomeDraft, sk: Uint8Array, relayUrl = ''): NostrEvent {
  return signEvent({ kind: KIND_NOTE, created_at: Math.floor(Date.now() / 1000), content: d.reply, tags: [['e', d.post.id, relayUrl, 'root', d.newcomer], ['p', d.newcomer]] }, sk);
}

export interface WelcomeSent {
  newcomer: string;
  id?: string;
  /** sent, already welcomed (a reply by this key to that post exists), or refused: <the relay's message>. */
  result: string;
}

/** Publishes each welcome through the relay's ingest path (its policies too), skipping posts this key already answered. */
export async function sendWelcomes(store: Store, relay: Relay, drafts: WelcomeDraft[], sk: Uint8Array, relayUrl = ''): Promise<WelcomeSent[]> {
  const sent: WelcomeSent[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (const d of drafts) {
    const e = welcomeEvent(d, sk, relayUrl);
    if (read(store, [{ kinds: [KIND_NOTE], authors: [e.pubkey], tags: new Map([['e', [d.post.id]]]), limit: 1 }], now).length > 0) {
      sent.push({ newcomer: d.newcomer, result: 'already welcomed' });
      continue;
    }
    const r = await relay.submit(e, 'internal');
    sent.push({ newcomer: d.newcomer, id: e.id, result: r.ok ? 'sent' : `refused: ${r.message}` });
  }
  return sent;
}
