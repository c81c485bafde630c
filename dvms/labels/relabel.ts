import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { RelayServices } from '../../relay/services.ts';
import { pagesOf } from '../../relay/util/pagesOf.ts';
import { KIND_DELETION, KIND_LABEL } from '../../relay/nostr/kinds.ts';
import { signEvent } from '../../relay/nostr/sign.ts';
import type { LabelerKey } from './key.ts';

export interface RelabelProgress {
  done: number;
  total: number;
  /** Label events replaced (the old one deleted by the labeler, NIP-09). */
  changed: number;
  added: number;
}

/** What relabelling needs of the labeler. */
export interface Relabeller {
  readonly key: LabelerKey;
  wants(e: NostrEvent): boolean;
  decide(posts: readonly NostrEvent[]): Promise<NostrEvent[]>;
}

const namespaceOf = (e: NostrEvent) => e.tags.find((t) => t[0] === 'L')?.[1];
const valuesOf = (e: NostrEvent) => e.tags.filter((t) => t[0] === 'l').map((t) => t[1]).sort().join('\n');

/**
 * After a new model (a re-learnt meaning, a retrained tagger) the recent posts are labelled
 * again in the background: labels.relabelHours back, at most labels.relabelMaxPosts posts,
 * in batches with a pause between them. A namespace whose labels did not change is left as it
 * is; one that changed gets a new label event and the labeler deletes its old one (kind 5), so
 * clients and feeds see one current answer. Progress is logged every tenth.
 */
export async function relabelRecent(labeler: Relabeller, services: RelayServices, onProgress?: (p: RelabelProgress) => void): Promise<RelabelProgress> {
  const c = services.config.labels;
  const since = Math.floor(Date.now() / 1000 - c.relabelHours * 3600);
  const posts: NostrEvent[] = [];
  for (const page of c.relabelHours > 0 ? pagesOf(services, { kinds: c.kinds, since }) : []) {
    for (const e of page) if (labeler.wants(e) && services.modelMayRead(e) && posts.length < c.relabelMaxPosts) posts.push(e);
    if (posts.length >= c.relabelMaxPosts) break;
  }
  const p: RelabelProgress = { done: 0, total: posts.length, changed: 0, added: 0 };
  let tenth = -1;
  for (let i = 0; i < posts.length; i += c.batchSize) {
    const batch = posts.slice(i, i + c.batchSize);
    const old = new Map<string, NostrEvent>();
    for (const l of services.query([{ kinds: [KIND_LABEL], authors: [labeler.key.pubkey], tags: new Map([['e', batch.map((e) => e.id)]]) }])) {
      const target = l.tags.find((t) => t[0] === 'e')?.[1];
      const key = `${target}|${namespaceOf(l)}`;
      if (!old.has(key) || old.get(key)!.created_at < l.created_at) old.set(key, l);
    }
    for (const fresh of await labeler.decide(batch)) {
      const key = `${fresh.tags.find((t) => t[0] === 'e')?.[1]}|${namespaceOf(fresh)}`;
      const before = old.get(key);
      if (before && valuesOf(before) === valuesOf(fresh)) continue;
      const r = await services.publish(fresh, 'internal');
      if (!r.ok) continue;
      if (before) {
        await services.publish(signEvent({ kind: KIND_DELETION, content: 'relabelled by a newer model', tags: [['e', before.id], ['k', String(KIND_LABEL)]], created_at: fresh.created_at }, labeler.key.sk), 'internal');
        p.changed++;
      } else p.added++;
    }
    p.done += batch.length;
    const t = Math.floor((p.done / Math.max(1, p.total)) * 10);
    if (t !== tenth) (tenth = t), onProgress?.({ ...p });
    await new Promise((r) => setImmediate(r));
  }
  return p;
}
