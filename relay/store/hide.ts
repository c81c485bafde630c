import { FLAG_HELD, FLAGS_AT } from './record.ts';
import type { Store } from './store.ts';

/**
 * Hides a stored event as a held one is hidden (readers skip it; nothing is deleted), so a
 * moderation case can hide an event pending review and `Store.release` can bring it back.
 * Resolves false when the event is absent or already hidden.
 */
export function hideStored(store: Store, id: string): Promise<boolean> {
  return store.writer.run(() => {
    const rec = store.getById(id);
    if (!rec || rec.held) return false;
    const buf = Buffer.from(rec.buf);
    buf[FLAGS_AT] = buf[FLAGS_AT]! | FLAG_HELD;
    store.tables.events.put(rec.serial, buf);
    return true;
  });
}
