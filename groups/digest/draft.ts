import { nip19 } from 'nostr-tools';
import type { Embedder } from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { Group } from '../group.ts';
import { threadsOf } from './threads.ts';

export interface DigestThread {
  id: string;
  author: string;
  replies: number;
  reactions: number;
  /** The thread's most central sentences (closest to the mean of its sentences' embeddings), in the order written. */
  sentences: string[];
}

export interface Digest {
  group: string;
  name: string;
  since: number;
  until: number;
  model: string;
  threads: DigestThread[];
}

/** A group whose admins have not opted in is not read by any model: the digest is refused with why. */
export class DigestRefused extends Error {}

/** Why no digest may be drafted for this group, or undefined. */
export function digestRefusal(group: Group): string | undefined {
  if (group.deleted) return `the group "${group.id}" was deleted`;
  if (!group.ai) return `the group "${group.id}" has not let the village's models read it; its admins opt in with a kind 9002 carrying ["ai", "allow"]`;
  return undefined;
}

const sentencesOf = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 3);

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** The `keep` sentences nearest the centroid of all of them (vectors are L2-normalised). */
async function central(sentences: string[], embedder: Embedder, keep: number): Promise<string[]> {
  if (sentences.length <= keep) return sentences;
  const vectors = await embedder.embed(sentences);
  const centroid = new Float32Array(embedder.dims);
  for (const v of vectors) v.forEach((x, i) => (centroid[i]! += x));
  const ranked = vectors.map((v, i) => ({ i, score: dot(v, centroid) })).sort((a, b) => b.score - a.score);
  return ranked
    .slice(0, keep)
    .map((r) => r.i)
    .sort((a, b) => a - b)
    .map((i) => sentences[i]!);
}

/**
 * The weekly digest of a group's threads, drafted for an admin (never published by the relay):
 * the top threads by replies and reactions, each summed up by its most central sentences under
 * the village's embedding model. Only for a group whose admins let the models read it.
 */
export async function draftDigest(o: { group: Group; events: readonly NostrEvent[]; embedder: Embedder; since: number; until: number; top?: number; sentences?: number }): Promise<Digest> {
  const { group } = o;
  const refused = digestRefusal(group);
  if (refused) throw new DigestRefused(refused);
  const threads = threadsOf(o.events).slice(0, o.top ?? 5);
  const out: DigestThread[] = [];
  for (const t of threads) {
    const text = [t.root, ...t.replies].map((e) => e.content).join('\n');
    out.push({ id: t.root.id, author: t.root.pubkey, replies: t.replies.length, reactions: t.reactions, sentences: await central(sentencesOf(text), o.embedder, o.sentences ?? 2) });
  }
  return { group: group.id, name: group.name, since: o.since, until: o.until, model: o.embedder.info.id, threads: out };
}

/** The digest as a note an admin can edit and post to the group. */
export function renderDigest(d: Digest): string {
  const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
  const lines = [`${d.name}: the week's threads (${day(d.since)} to ${day(d.until)})`, ''];
  if (d.threads.length === 0) lines.push('No threads this week.');
  for (const [i, t] of d.threads.entries()) {
    lines.push(`${i + 1}. ${t.sentences.join(' ') || '(no text)'} (${t.replies} replies, ${t.reactions} reactions) nostr:${nip19.noteEncode(t.id)}`);
  }
  return lines.join('\n');
}
