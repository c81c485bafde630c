import { nip19 } from 'nostr-tools';
import { KIND_METADATA } from '../../relay/nostr/kinds.ts';
import type { Store } from '../../relay/store/store.ts';
import { villageInsights, type InsightOptions, type Insights, type Trend } from './insights.ts';

const DAY = 86_400;

/** One everyday question the village can ask of its data, answered in plain words. */
interface Question {
  id: string;
  /** How it is asked, for the list of questions known. */
  example: string;
  /** Whether a question is this one: every group must have a word in the question. */
  keywords: RegExp[];
  answer(r: Insights, span: Span, name: (pubkey: string) => string): string;
}

/** The period a question speaks of, from its words: today, this/last week (default), this/last month, this year. */
interface Span {
  seconds: number;
  words: string;
}

export interface InsightAnswer {
  question: string;
  /** The known question it was recognised as. */
  asked: string;
  period: { since: number; until: number; words: string };
  answer: string;
}

/** A question none of the known ones matches: its message lists them (the CLI exits 2, NIP-86 answers `invalid:`). */
export class UnknownQuestion extends Error {}

function spanOf(q: string): Span {
  if (/\b(today|24 ?h(ours)?|yesterday)\b/.test(q)) return { seconds: DAY, words: 'in the last day' };
  if (/\bmonth\b/.test(q)) return { seconds: 30 * DAY, words: 'in the last 30 days' };
  if (/\byear\b/.test(q)) return { seconds: 365 * DAY, words: 'in the last 365 days' };
  return { seconds: 7 * DAY, words: 'in the last 7 days' };
}

const posts = (n: number): string => `${n} post${n === 1 ? '' : 's'}`;
const topicName = (r: Insights, t: Trend): string => (r.topicSource === 'hashtags' ? `#${t.name}` : t.name);
const source = (r: Insights): string => (r.topicSource === 'labels' ? "by the village labeler's topic labels" : 'by hashtags (no topic labels yet)');

/** The known questions, most specific first (the first that matches answers). */
const QUESTIONS: Question[] = [
  {
    id: 'most-engaged-post',
    example: 'which post was most popular last week?',
    keywords: [/\b(post|posts|note|notes)\b/, /\b(popular|liked|engaged|engaging|top|best|most)\b/],
    answer(r, span, name) {
      const top = r.engaged[0];
      if (!top) return `No post drew any reaction, repost, reply or zap ${span.words}.`;
      const who = top.pubkey ? ` by ${name(top.pubkey)}` : '';
      const what = top.snippet ? `: "${top.snippet}"` : '';
      return `The most engaged post ${span.words} was ${nip19.noteEncode(top.id)}${who}${what} (${top.reactions} reactions, ${top.reposts} reposts, ${top.replies} replies, ${top.zaps} zaps).`;
    },
  },
  {
    id: 'popular-topic',
    example: 'which topic was most popular last week?',
    keywords: [/\b(topic|topics|subject|subjects|hashtag|hashtags|talk|talked|about)\b/, /\b(popular|most|top|main|biggest)\b/],
    answer(r, span) {
      const [first, ...rest] = r.topics;
      if (!first) return `No topic ${span.words}: no labelled or hashtagged posts.`;
      const next = rest.slice(0, 2).map((t) => `${topicName(r, t)} (${posts(t.now)})`);
      return `The most popular topic ${span.words} was ${topicName(r, first)}, with ${posts(first.now)} (${first.before} the ${span.seconds / DAY} days before)${next.length ? `; then ${next.join(', ')}` : ''}. Topics ${source(r)}.`;
    },
  },
  {
    id: 'newcomers',
    example: 'who joined this month?',
    keywords: [/\b(joined|join|joins|new|newcomers?|arrived|signed up)\b/],
    answer(r, span, name) {
      const n = r.members.new;
      if (n.length === 0) return `Nobody joined ${span.words}.`;
      const shown = n.slice(0, 20).map(name);
      return `${n.length} ${n.length === 1 ? 'person' : 'people'} joined ${span.words}: ${shown.join(', ')}${n.length > shown.length ? `, and ${n.length - shown.length} more` : ''}.`;
    },
  },
  {
    id: 'rising',
    example: 'what is rising?',
    keywords: [/\b(rising|rise|growing|grows|up|trending|gaining|hot)\b/],
    answer(r, span) {
      if (r.rising.length === 0) return `Nothing is rising: no topic has more posts ${span.words} than the ${span.seconds / DAY} days before.`;
      const list = r.rising.slice(0, 5).map((t) => `${topicName(r, t)} (${posts(t.now)}, up from ${t.before})`);
      return `Rising ${span.words}, against the ${span.seconds / DAY} days before: ${list.join(', ')}. Topics ${source(r)}.`;
    },
  },
];

/** The message for a question not understood: the questions known, one a line. */
export function knownQuestions(): string {
  return ['I can answer these questions (say today, this week, this month or this year for another period):', ...QUESTIONS.map((q) => `  - ${q.example}`)].join('\n');
}

/** A display name for a pubkey: its kind 0 name, else a short npub. */
function namer(store: Store, now: number): (pubkey: string) => string {
  return (pubkey) => {
    const npub = nip19.npubEncode(pubkey);
    const profile = store.query([{ kinds: [KIND_METADATA], authors: [pubkey], limit: 1 }], { now })[0]?.event();
    try {
      const c = profile ? (JSON.parse(profile.content) as { name?: unknown; display_name?: unknown }) : {};
      const n = [c.display_name, c.name].find((x): x is string => typeof x === 'string' && x.trim() !== '');
      return n ? `${n.trim().slice(0, 40)} (${npub.slice(0, 16)}…)` : npub;
    } catch {
      return npub;
    }
  };
}

/**
 * Answers one of a small fixed set of everyday questions about the village, recognised by
 * keywords, each from villageInsights over the period the question names (and the one before).
 */
export function askVillage(store: Store, question: string, opts: Omit<InsightOptions, 'period'>): InsightAnswer {
  const q = question.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ');
  const known = QUESTIONS.find((k) => k.keywords.every((re) => re.test(q)));
  if (!known) throw new UnknownQuestion(`I do not understand "${question.trim()}". ${knownQuestions()}`);
  const span = spanOf(q);
  const r = villageInsights(store, { ...opts, period: span.seconds });
  return { question, asked: known.id, period: { since: r.since, until: r.until, words: span.words }, answer: known.answer(r, span, namer(store, r.until)) };
}
