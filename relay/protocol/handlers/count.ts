import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { Hll, hllOffset } from '../../nostr/hll.ts';
import { estimateWork } from '../../store/estimate.ts';
import { countWork } from '../../store/query.ts';
import { Meter, type Work } from '../../store/work.ts';
import { closedFrame, countFrame } from '../frames.ts';
import { admitRequest } from '../request.ts';
import { readContextFor } from '../readContext.ts';
import { runRead } from '../readQueue.ts';
import { tooExpensive } from '../budget.ts';

/**
 * ["COUNT", <id>, <filter>...] (NIP-45): one aggregated count, with HLL registers when defined;
 * one filter matching many entries gets an estimate marked `approximate` (store/estimate.ts).
 * Read in turns with other connections' reads; over limits.maxCountScan it is refused with CLOSED.
 */
export async function handleCount(relay: ProtocolContext, s: Session, msg: unknown[]): Promise<void> {
  if (!relay.config.nips.count) {
    if (typeof msg[1] === 'string') s.send(closedFrame(msg[1], 'invalid: COUNT (NIP-45) is not enabled on this relay'));
    return;
  }
  const admitted = await admitRequest(relay, s, msg, 'COUNT');
  if (!admitted) return;
  const { subId, filters } = admitted;
  // `limit` does not bound a count.
  const unlimited = filters.map((f) => ({ ...f, limit: undefined }));
  const offset = unlimited.length === 1 ? hllOffset(unlimited[0]!) : undefined;
  const hll = offset !== undefined ? new Hll(offset) : undefined;
  const { limits } = relay.config;
  const meter = new Meter(limits.maxCountScan);
  const ctx = readContextFor(relay, s);
  const tables = relay.store.tables;
  function* counting(): Work<{ count: number; approximate?: true }> {
    // a large count of one filter is estimated (no HLL registers then: they need every counted record)
    const estimate = unlimited.length === 1 ? yield* estimateWork(tables, unlimited[0]!, ctx) : undefined;
    if (estimate !== undefined) return { count: estimate, approximate: true };
    return { count: yield* countWork(tables, unlimited, ctx, meter, hll ? (rec) => hll.addHexAt(rec.buf, rec.pubkeyAt) : undefined) };
  }
  const answer = await runRead(s, counting, { sliceMs: limits.querySliceMs, cancelled: () => s.closed });
  if (answer === undefined) return;
  if (meter.over) {
    const reason = tooExpensive(meter);
    s.noteRejection(reason);
    return void s.send(closedFrame(subId, reason));
  }
  s.send(countFrame(subId, answer.approximate ? answer : { ...answer, ...(hll ? { hll: hll.hex() } : {}) }));
}
