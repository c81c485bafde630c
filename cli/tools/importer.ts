import type { IngestResult } from '../../relay/ingest.ts';
import { isEphemeral } from '../../relay/nostr/kinds.ts';
import { WriteOrder } from './writeOrder.ts';

export interface ImportSummary {
  lines: number;
  stored: number;
  /** Stored but held for moderation (through the policies only). */
  held: number;
  duplicate: number;
  rejected: number;
  /** Rejections by reason (the OK message a client would have seen). */
  reasons: Record<string, number>;
  seconds: number;
}

export interface ImportOptions {
  /** Events submitted together: one verifier round and (up to the store's batch size) one write transaction. */
  batch: number;
  onProgress?: (summary: ImportSummary, bytes: number) => void;
}

function tally(s: ImportSummary, r: IngestResult): void {
  if (r.ok && r.message.startsWith('duplicate:')) s.duplicate++;
  else if (r.ok) {
    s.stored++;
    if (r.message.startsWith('info:')) s.held++;
  } else {
    s.rejected++;
    s.reasons[r.message] = (s.reasons[r.message] ?? 0) + 1;
  }
}

/**
 * Imports JSONL events through `submit` (the relay's ingest path) in batches; lines that are
 * not JSON are counted as rejected with their own reason. Blank lines are skipped.
 *
 * Events of a batch are verified in parallel and reach the store in the order their checks
 * finish, so an event that depends on an earlier line (a newer version of the same replaceable
 * event, a deletion and its target, a vanish request) waits for the batch before it: every line
 * then has the outcome it would have one at a time, whatever the batch size.
 */
export async function importLines(lines: AsyncIterable<string>, submit: (raw: unknown) => Promise<IngestResult>, opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const s: ImportSummary = { lines: 0, stored: 0, held: 0, duplicate: 0, rejected: 0, reasons: {}, seconds: 0 };
  let bytes = 0;
  let pending: Promise<void>[] = [];
  const order = new WriteOrder();
  const flush = async () => {
    await Promise.all(pending);
    pending = [];
    order.clear();
    s.seconds = (Date.now() - started) / 1000;
    opts.onProgress?.(s, bytes);
  };
  for await (const line of lines) {
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    s.lines++;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      tally(s, { ok: false, message: 'invalid: line is not JSON' });
      continue;
    }
    // The ingest path would broadcast one to nobody and answer OK: say what happened instead.
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'number' && isEphemeral(kind)) {
      tally(s, { ok: false, message: 'invalid: ephemeral events (kinds 20000-29999) are never stored' });
      continue;
    }
    if (order.mustWait(raw) && pending.length > 0) await flush();
    order.add(raw);
    pending.push(
      submit(raw).then(
        (r) => tally(s, r),
        (err: unknown) => tally(s, { ok: false, message: `error: ${(err as Error).message}` }),
      ),
    );
    if (pending.length >= opts.batch) await flush();
  }
  await flush();
  return s;
}
