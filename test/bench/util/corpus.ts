import { benchKey, type BenchKey, type Template } from './sign.ts';

/**
 * Event sets the scenarios sign. A set is described by a plain object (so worker threads can
 * rebuild it) and event i of a set is always the same template.
 */
export interface CorpusSpec {
  /** 'feed': kind-1 notes (ingest, fan-out); 'archive': the mixed database the queries run on. */
  shape: 'feed' | 'archive';
  /** Key label: a fresh random label per run makes fresh authors, so no event repeats. */
  label: string;
  authors: number;
  /** created_at of event 0; later events are older ('archive') or newer ('feed'). */
  baseTime: number;
}

export const TAG_WORDS = Array.from({ length: 200 }, (_, i) => `topic${i}`);

const LOREM = 'the quick brown fox jumps over the lazy dog while village relays hum along at night '.repeat(4);

/** Zipf-like pick from 200 words: low indexes are much more common, like real hashtags. */
function zipfWord(i: number): string {
  const u = ((Math.imul(i, 2654435761) >>> 0) % 10_000) / 10_000;
  return TAG_WORDS[Math.min(199, Math.floor(200 * u * u * u))]!;
}

export function templateFor(spec: CorpusSpec, i: number): { author: number; template: Template } {
  const author = (Math.imul(i, 40503) >>> 0) % spec.authors;
  const content = `${LOREM.slice((i * 7) % 80, ((i * 7) % 80) + 40 + (i % 60))} #${i}`;
  if (spec.shape === 'feed') {
    return { author, template: { kind: 1, created_at: spec.baseTime + Math.floor(i / 1000), tags: [['t', zipfWord(i)]], content } };
  }
  // archive: ~30 s apart going back in time (1M events ≈ one year); kinds 1 (70%), 7, 6, 30023.
  const created_at = spec.baseTime - i * 30;
  const r = i % 10;
  const tags: string[][] = [['t', zipfWord(i)]];
  let kind = 1;
  if (r === 7 || r === 8) {
    kind = r === 7 ? 7 : 6;
    tags.push(['e', (i * 2654435761).toString(16).padStart(64, '0').slice(-64)]);
  } else if (r === 9) {
    kind = 30023;
    tags.push(['d', `article-${i}`]);
  }
  if (i % 5 === 0) tags.push(['p', 'f'.repeat(8) + (i % 1000).toString(16).padStart(56, '0')]);
  return { author, template: { kind, created_at, tags, content } };
}

/** The authors of a set, derived once per set and process. */
export function authorKeys(spec: CorpusSpec): BenchKey[] {
  return Array.from({ length: spec.authors }, (_, i) => benchKey(spec.label, i));
}
