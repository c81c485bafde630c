import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { Hll, hllOffset } from '../../nostr/hll.ts';
import { closedFrame, countFrame } from '../frames.ts';
import { admitRequest } from '../request.ts';
import { readContextFor } from '../readContext.ts';

/** ["COUNT", <id>, <filter>...] (NIP-45): one aggregated count, with HLL registers when defined. */
export async function handleCount(relay: ProtocolContext, s: Session, msg: unknown[]): Promise<void> {
  if (!relay.config.nips.count) {
    if (typeof msg[1] === 'string') s.send(closedFrame(msg[1], 'unsupported: COUNT (NIP-45) is not enabled on this relay'));
    return;
  }
  const admitted = await admitRequest(relay, s, msg, 'COUNT');
  if (!admitted) return;
  const { subId, filters } = admitted;
  // `limit` does not bound a count.
  const unlimited = filters.map((f) => ({ ...f, limit: undefined }));
  const offset = unlimited.length === 1 ? hllOffset(unlimited[0]!) : undefined;
  const hll = offset !== undefined ? new Hll(offset) : undefined;
  const { count, complete } = relay.store.countMatching(
    unlimited,
    readContextFor(relay, s),
    relay.config.limits.maxCountScan,
    hll ? (rec) => hll.add(rec.pubkey) : undefined,
  );
  s.send(countFrame(subId, { count, ...(complete ? {} : { approximate: true }), ...(hll ? { hll: hll.hex() } : {}) }));
}
