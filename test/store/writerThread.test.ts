import { describe, expect, it } from 'vitest';
import { serialise } from '../../relay/nostr/canonical.ts';
import { lastSerial, readWordsThrough } from '../../relay/store/wordsThrough.ts';
import { fakeEvent } from './formatV1.ts';
import { countStored, runScript, tempStores } from './tempStores.ts';

/**
 * The store's writes run on their own thread (writerThread.ts): what a caller wrote must be
 * readable as soon as its promise resolves, a process must neither exit before its writes are
 * answered nor be held open by the idle thread, nor hang when it exits mid-transaction, and a
 * closed store must refuse writes.
 */
const stores = tempStores('writer', { log: { info: () => {} } });

const BOB = 'b2'.repeat(32);
const notes = Array.from({ length: 5 }, (_, i) => fakeEvent(BOB, { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `note ${i}` }, i + 1));

describe("the store's writer thread", () => {
  it('answers each write once committed, and the caller reads it at once (no timer in between)', async () => {
    const store = stores.open();
    const outcomes = await Promise.all(notes.map((e) => store.store(e, serialise(e).json)));
    expect(outcomes.map((o) => o.status)).toEqual(notes.map(() => 'stored'));
    // read in the same turn as the answer: the relay's read snapshot was renewed before it
    for (const e of notes) expect(store.getById(e.id)?.id).toBe(e.id);
    expect(await store.store(notes[0]!, serialise(notes[0]!).json)).toEqual({ status: 'duplicate', message: 'duplicate: already have this event' });
    expect(await store.remove(notes[1]!.id)).toBe(true);
    expect(store.has(notes[1]!.id)).toBe(false);
    expect(await store.remove(notes[1]!.id)).toBe(false);
  });

  it('writes what was submitted before its thread was up, and refuses writes once the store is closed', async () => {
    const store = stores.open();
    // submitted in the constructor's turn: the thread is still starting
    const first = store.store(notes[0]!, serialise(notes[0]!).json);
    expect((await first).status).toBe('stored');
    await store.close();
    await expect(store.writer.write({ op: 'remove', id: notes[0]!.id })).rejects.toThrow('the store is closed');
  });

  it('keeps a process that awaits a write alive until it is answered, and lets it end when idle (never closed)', async () => {
    const dir = stores.dataDir();
    const script = `
      import { Store } from ${JSON.stringify(new URL('../../relay/store/store.ts', import.meta.url).pathname)};
      const notes = JSON.parse(process.argv[1]);
      const store = new Store({ dataDir: ${JSON.stringify(dir)}, mapSizeMb: 64, batchSize: 100, searchEnabled: false, unsearchableKinds: new Set(), log: { info() {} } });
      const outcomes = await Promise.all(notes.map((e) => store.store(e, JSON.stringify(e))));
      console.log(outcomes.map((o) => o.status).join(','));`;
    const out = await runScript(script, [JSON.stringify(notes)], 20_000);
    expect(out.trim()).toBe(notes.map(() => 'stored').join(','));
    // and it was durable: another opening finds every note
    const store = stores.open(dir, { searchEnabled: false });
    for (const e of notes) expect(store.has(e.id)).toBe(true);
  });

  it('lets a process that exits while the thread is inside a transaction end, with what was committed intact', async () => {
    const dir = stores.dataDir();
    // 3,000 notes and words indexed at once: process.exit lands while the thread writes word
    // entries. Without the exit gate (writeGate.ts) this child never ended.
    const script = `
      import { Store } from ${JSON.stringify(new URL('../../relay/store/store.ts', import.meta.url).pathname)};
      import { fakeEvent } from ${JSON.stringify(new URL('./formatV1.ts', import.meta.url).pathname)};
      const notes = Array.from({ length: 3000 }, (_, i) => fakeEvent(${JSON.stringify(BOB)}, { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: 'bees and weather, note ' + i }, i + 1));
      const store = new Store({ dataDir: ${JSON.stringify(dir)}, mapSizeMb: 256, batchSize: 100, searchEnabled: true, unsearchableKinds: new Set(), log: { info() {} }, wordIndexDelayMs: 0 });
      await Promise.all(notes.map((e) => store.store(e, JSON.stringify(e))));
      console.log('stored');
      setTimeout(() => process.exit(0), 2);`;
    const out = await runScript(script, [], 30_000);
    expect(out.trim()).toBe('stored');
    const store = stores.open(dir);
    expect(countStored(store, { kinds: [1] })).toBe(3000);
    await store.wordsIndexed();
    expect(readWordsThrough(store.tables)).toBe(lastSerial(store.tables));
    expect(countStored(store, { search: 'bees' })).toBe(3000);
  });
});
