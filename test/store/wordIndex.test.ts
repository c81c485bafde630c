import { describe, expect, it } from 'vitest';
import { serialise } from '../../relay/nostr/canonical.ts';
import type { Store } from '../../relay/store/store.ts';
import { wordHash } from '../../relay/store/words.ts';
import { lastSerial, readWordsThrough } from '../../relay/store/wordsThrough.ts';
import { fakeEvent } from './formatV1.ts';
import { countStored, queryStored, runScript, tempStores } from './tempStores.ts';
import { until } from '../helpers/client.ts';

/**
 * NIP-50 words are written after their event's commit (wordIndexer.ts): a search must still find
 * every stored event at once, and no word may be lost to a stop, a removal or a serial used again.
 */
const stores = tempStores('words', { log: { info: () => {} } });
const dataDir = stores.dataDir;
/** Words held back for a minute unless a test asks for them (wordsIndexed), so what it sees before is certain. */
const openStore = (dir: string, wordIndexDelayMs = 60_000): Store => stores.open(dir, { wordIndexDelayMs });

const ALICE = 'a1'.repeat(32);
const notes = Array.from({ length: 30 }, (_, i) => fakeEvent(ALICE, { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `note ${i} about ${i % 3 === 0 ? 'beekeeping' : 'weather'}` }, i + 1));
const beekeeping = notes.filter((_, i) => i % 3 === 0).map((e) => e.id).reverse();

/** Serials under a word in the index itself. */
function indexed(store: Store, word: string): number[] {
  const t = store.tables;
  const head = Buffer.alloc(4);
  head.writeUInt32BE(wordHash(word));
  const keys = [...(t.words.getKeys() as Iterable<Buffer>)].filter((k) => k.subarray(0, 4).equals(head));
  return keys.flatMap((k) => [...t.words.getValues(k)].map((v) => v.readUInt32BE(0)));
}

describe('NIP-50 words written after the commit', () => {
  it('finds a stored note by search at once, before its words are indexed and after', async () => {
    const store = openStore(dataDir());
    await Promise.all(notes.map((e) => store.store(e, serialise(e).json)));
    // Stored, their words still owed: found by reading the records above the mark.
    expect(readWordsThrough(store.tables)).toBe(0);
    expect(indexed(store, 'beekeeping')).toEqual([]);
    expect(queryStored(store, { search: 'beekeeping' })).toEqual(beekeeping);
    expect(queryStored(store, { search: 'beekeeping', limit: 3 })).toEqual(beekeeping.slice(0, 3));
    expect(queryStored(store, { search: 'beekeeping', since: 1_700_000_010, until: 1_700_000_020 })).toEqual(notes.filter((e, i) => i % 3 === 0 && e.created_at >= 1_700_000_010 && e.created_at <= 1_700_000_020).map((e) => e.id).reverse());
    expect(countStored(store, { search: 'beekeeping' })).toBe(10);
    expect(queryStored(store, { search: 'zebra' })).toEqual([]);

    await store.wordsIndexed();
    expect(readWordsThrough(store.tables)).toBe(lastSerial(store.tables));
    expect(indexed(store, 'beekeeping')).toHaveLength(10);
    expect(queryStored(store, { search: 'beekeeping' })).toEqual(beekeeping);
    expect(countStored(store, { search: 'beekeeping' })).toBe(10);
  });

  it('indexes on its own shortly after the writes, without being asked', async () => {
    const store = openStore(dataDir(), 100);
    await Promise.all(notes.map((e) => store.store(e, serialise(e).json)));
    await until(() => readWordsThrough(store.tables) === lastSerial(store.tables), 10_000);
    expect(indexed(store, 'weather')).toHaveLength(20);
  });

  it('writes the words a stopped process left unwritten when the database is opened again', async () => {
    const dir = dataDir();
    // Another process stores the notes and ends before its word index runs, as a crash would (its
    // words held back a minute: at the default 100 ms they could run while its writer thread was
    // still starting on a slow machine, and then be written before the exit).
    const script = `
      import { Store } from ${JSON.stringify(new URL('../../relay/store/store.ts', import.meta.url).pathname)};
      const notes = JSON.parse(process.argv[1]);
      const store = new Store({ dataDir: ${JSON.stringify(dir)}, mapSizeMb: 256, batchSize: 100, searchEnabled: true, unsearchableKinds: new Set([4]), log: { info() {} }, wordIndexDelayMs: 60_000 });
      await Promise.all(notes.map((e) => store.store(e, JSON.stringify(e))));
      process.exit(0);`;
    await runScript(script, [JSON.stringify(notes)], 30_000);

    const store = openStore(dir, 100);
    expect(lastSerial(store.tables)).toBe(30);
    expect(readWordsThrough(store.tables)).toBe(0);
    expect(queryStored(store, { search: 'beekeeping' })).toEqual(beekeeping);
    // Opening it found words owed and writes them by itself.
    await until(() => readWordsThrough(store.tables) === 30, 10_000);
    expect(indexed(store, 'beekeeping')).toHaveLength(10);
    expect(queryStored(store, { search: 'beekeeping' })).toEqual(beekeeping);
  });

  it('still finds indexed notes when the newest records were removed after their words were written', async () => {
    const store = openStore(dataDir());
    for (const e of notes.slice(0, 6)) await store.store(e, serialise(e).json);
    await store.wordsIndexed();
    // The mark (6) now stands above the newest record (4): nothing is owed, and the index answers.
    expect(await store.remove(notes[5]!.id)).toBe(true);
    expect(await store.remove(notes[4]!.id)).toBe(true);
    expect(readWordsThrough(store.tables)).toBe(6);
    expect(lastSerial(store.tables)).toBe(4);
    expect(queryStored(store, { search: 'beekeeping' })).toEqual([notes[3]!.id, notes[0]!.id]);
    // The next note takes serial 5, which the mark has passed: its words are written with it.
    const next = notes[6]!;
    await store.store(next, serialise(next).json);
    expect(indexed(store, 'beekeeping')).toContain(5);
    expect(queryStored(store, { search: 'beekeeping' })).toEqual([next.id, notes[3]!.id, notes[0]!.id]);
  });

  it('leaves no words of a note removed before they were written, and none are owed after', async () => {
    const store = openStore(dataDir());
    for (const e of notes.slice(0, 6)) await store.store(e, serialise(e).json);
    expect(await store.remove(notes[3]!.id)).toBe(true);
    await store.wordsIndexed();
    const removed = 4;
    expect(indexed(store, 'beekeeping').sort()).toEqual([1]);
    expect(indexed(store, 'note')).not.toContain(removed);
    expect(queryStored(store, { search: 'beekeeping' })).toEqual([notes[0]!.id]);
    expect(readWordsThrough(store.tables)).toBe(6);
  });
});
