import type { NostrEvent } from '../../relay/nostr/types.ts';

/** A hashtag as the village's vocabulary keeps it: lowercase, without '#', trimmed. */
export function normaliseTag(tag: string): string {
  return tag.normalize('NFKC').trim().replace(/^#+/, '').toLowerCase();
}

/** A tag the vocabulary can hold: 1-64 letters, digits, '_' or '-' (no spaces, no punctuation). */
export function isUsableTag(tag: string): boolean {
  return /^[\p{L}\p{N}_-]{1,64}$/u.test(tag);
}

/** The event's `t` tags, normalised and de-duplicated, in order. */
export function hashtagsOf(event: Pick<NostrEvent, 'tags'>): string[] {
  const out = new Set<string>();
  for (const t of event.tags) if (t[0] === 't' && t[1]) out.add(normaliseTag(t[1]));
  return [...out].filter(isUsableTag);
}

const URL_RE = /\bhttps?:\/\/\S+/giu;
const NOSTR_RE = /\b(nostr:)?(npub|note|nevent|nprofile|naddr)1[02-9ac-hj-np-z]+/giu;
const HASHTAG_RE = /(^|\s)#[\p{L}\p{N}_-]+/gu;

/**
 * The words of a post without links, nostr references and (optionally) inline hashtags: what
 * language detection reads, and what the tagger is trained on (a post's own hashtags in its
 * text would let the tagger learn to copy them instead of learning the topic).
 */
export function plainText(content: string, { hashtags = 'keep' }: { hashtags?: 'keep' | 'drop' | 'words' } = {}): string {
  let s = content.replace(URL_RE, ' ').replace(NOSTR_RE, ' ');
  if (hashtags === 'drop') s = s.replace(HASHTAG_RE, '$1 ');
  else if (hashtags === 'words') s = s.replace(HASHTAG_RE, (_m, pre: string) => pre + _m.slice(pre.length + 1));
  return s.replace(/\s+/g, ' ').trim();
}
