import { parentPort, workerData } from 'node:worker_threads';
import type { NostrEvent } from '../nostr/types.ts';
import { openEnv, openTables } from './env.ts';
import { Mutations } from './mutations.ts';
import { WriteGate } from './writeGate.ts';

/**
 * The store's writes, on a thread of their own. The relay's thread sends a batch (everything it
 * gathered during one turn, writer.ts); this thread runs it in one synchronous transaction, which
 * returns once committed and flushed to disk, and answers with each write's result.
 *
 * Why a thread: with lmdb-js's asynchronous transactions the commit thread waits for the relay's
 * thread to run the transaction's body and again to hear it is done, so under load a lone event's
 * commit took four times as long as the commit itself (measured: 2.1 ms against 0.5 ms); a
 * synchronous transaction on the relay's thread would instead hold every connection for the flush.
 */

export interface WriterInit {
  dataDir: string;
  mapSizeMb: number;
  searchEnabled: boolean;
  unsearchableKinds: number[];
  /** WriteGate's shared cells: the process shuts it at exit (writeGate.ts). */
  gate: SharedArrayBuffer;
}

/** One write; ids are hex event ids. */
export type WriteOp =
  | { op: 'store'; event: NostrEvent; json: string; held: boolean; vanish: boolean }
  | { op: 'release'; id: string }
  | { op: 'remove'; id: string }
  | { op: 'hide'; id: string }
  | { op: 'sweepExpired'; now: number; max: number }
  | { op: 'indexWords'; max: number };

export type WriteResult = { ok: true; value: unknown } | { ok: false; message: string };

/** A batch's answer: one result per write, or why the whole transaction failed (a full disk). */
export type BatchReply = { results: WriteResult[] } | { failed: string };

function apply(m: Mutations, w: WriteOp): unknown {
  switch (w.op) {
    case 'store':
      return m.store(w.event, w.json, w.held, w.vanish);
    case 'release': {
      const rec = m.loadById(w.id);
      if (!rec || !rec.held) return undefined;
      m.setHeld(rec, false);
      return rec.event();
    }
    case 'remove': {
      const rec = m.loadById(w.id);
      if (!rec) return false;
      m.remove(rec);
      return true;
    }
    case 'hide': {
      // Readers skip a held record; nothing is deleted, so Store.release can bring it back.
      const rec = m.loadById(w.id);
      if (!rec || rec.held) return false;
      m.setHeld(rec, true);
      return true;
    }
    case 'sweepExpired':
      return m.sweepExpired(w.now, w.max);
    case 'indexWords':
      return m.indexWords(w.max);
  }
}

if (parentPort) {
  const port = parentPort;
  const init = workerData as WriterInit;
  const env = openEnv(init.dataDir, init.mapSizeMb);
  const mutations = new Mutations(openTables(env), { searchEnabled: init.searchEnabled, unsearchableKinds: new Set(init.unsearchableKinds) });
  const gate = new WriteGate(init.gate);
  port.on('message', (batch: WriteOp[] | 'close') => {
    if (batch === 'close') {
      void env.close().then(() => process.exit(0));
      return;
    }
    const results: WriteResult[] = [];
    let written: boolean;
    try {
      written = gate.pass(() =>
        env.transactionSync(() => {
          mutations.beginTransaction();
          for (const w of batch) {
            try {
              results.push({ ok: true, value: apply(mutations, w) });
            } catch (err) {
              results.push({ ok: false, message: (err as Error).message });
            }
          }
        }),
      );
    } catch (err) {
      port.postMessage({ failed: (err as Error).message } satisfies BatchReply);
      return;
    }
    port.postMessage(written ? ({ results } satisfies BatchReply) : ({ failed: 'the process is exiting' } satisfies BatchReply));
  });
}
