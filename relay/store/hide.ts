import type { Store } from './store.ts';

/**
 * Hides a stored event as a held one is hidden (readers skip it; nothing is deleted), so a
 * moderation case can hide an event pending review and `Store.release` can bring it back.
 * Resolves false when the event is absent or already hidden.
 */
export function hideStored(store: Store, id: string): Promise<boolean> {
  return store.writer.write({ op: 'hide', id }) as Promise<boolean>;
}
