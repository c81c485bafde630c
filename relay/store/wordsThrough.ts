import type { Tables } from './env.ts';

/**
 * NIP-50 words are indexed after their event's commit (wordIndexer.ts), so a client's OK does not
 * wait for a dozen random-key writes per note. The `meta` table keeps the mark: every record with
 * a serial up to it has its words in the index; the records above it (the last fraction of a
 * second of writes, or what a stopped relay left) are searched by reading them (words.ts).
 */
export const WORDS_THROUGH_KEY = 'words-indexed-through';

export function readWordsThrough(t: Pick<Tables, 'meta'>): number {
  return t.meta.get(WORDS_THROUGH_KEY) ?? 0;
}

/** The newest record's serial (0 for none). */
export function lastSerial(t: Pick<Tables, 'events'>): number {
  for (const last of t.events.getKeys({ reverse: true, limit: 1 })) return last;
  return 0;
}

/**
 * Records whose words are not indexed yet. The mark may stand above the newest record (the
 * newest were removed after their words were written): then none are owed.
 */
export function wordsOwed(t: Pick<Tables, 'meta' | 'events'>): number {
  return Math.max(0, lastSerial(t) - readWordsThrough(t));
}

/**
 * A database without the mark had every record's words written with the record (the format
 * before this mark, or a fresh database): the mark starts at its newest record.
 */
export function ensureWordsThrough(t: Pick<Tables, 'meta' | 'events'>): void {
  if (t.meta.get(WORDS_THROUGH_KEY) === undefined) t.meta.putSync(WORDS_THROUGH_KEY, lastSerial(t));
}
