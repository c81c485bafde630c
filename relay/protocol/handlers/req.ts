import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { Filter } from '../../nostr/types.ts';
import { Subscription } from '../../subscriptions/subscription.ts';
import { queryWork, type ReadContext } from '../../store/query.ts';
import { Meter, PAUSE, type Work } from '../../store/work.ts';
import { closedFrame, countEventFrames, eoseFrame, eventFramePrefix, FramedEvent } from '../frames.ts';
import { admitRequest } from '../request.ts';
import { readContextFor } from '../readContext.ts';
import { runRead } from '../readQueue.ts';
import { tooExpensive } from '../budget.ts';

/** EVENT frames queued between two pause points while a large answer is sent. */
const SEND_PAUSE_EVERY = 256;

/**
 * ["REQ", <subid>, <filter>...]: stored matches, EOSE, then live matches until CLOSE. The stored
 * answer is read in turns with other connections' reads (readQueue.ts); the subscription is live
 * from the start and holds what arrives meanwhile until after EOSE, so nothing falls in between.
 * A read over limits.maxQueryCost sends the matches it found and ends with CLOSED instead of EOSE.
 */
export async function handleReq(relay: ProtocolContext, s: Session, msg: unknown[]): Promise<void> {
  const ticket = {};
  if (typeof msg[1] === 'string') s.pendingReqs.set(msg[1], ticket);
  const admitted = await admitRequest(relay, s, msg, 'REQ');
  if (typeof msg[1] === 'string') {
    // Closed (or superseded by a newer REQ with this id) while it was being admitted: nothing to open.
    if (s.pendingReqs.get(msg[1]) !== ticket) return;
    s.pendingReqs.delete(msg[1]);
  }
  if (!admitted) return;
  const { subId, filters } = admitted;
  const old = s.subs.get(subId);
  if (old) {
    // NIP-01: a REQ with an open id replaces that subscription.
    relay.monitor.remove(old);
    s.subs.delete(subId);
  } else if (s.subs.size >= relay.config.limits.maxSubscriptions) {
    const reason = `rate-limited: too many open subscriptions (max ${relay.config.limits.maxSubscriptions})`;
    s.noteRejection(reason);
    s.send(closedFrame(subId, reason));
    return;
  }
  const sub = new Subscription(s, subId, filters);
  sub.held = [];
  s.subs.set(subId, sub);
  relay.monitor.add(sub);
  const ctx = readContextFor(relay, s);
  const { limits } = relay.config;
  // A CLOSE, or a newer REQ with this id, ends the read where it is.
  const current = () => !s.closed && s.subs.get(subId) === sub;
  try {
    await runRead(s, () => answer(relay, s, sub, filters, ctx), { sliceMs: limits.querySliceMs, cancelled: () => !current() });
  } catch (err) {
    // The subscription would hold live events forever: it ends with the failed read.
    if (current()) {
      relay.monitor.remove(sub);
      s.subs.delete(subId);
    }
    throw err;
  }
}

function* answer(relay: ProtocolContext, s: Session, sub: Subscription<Session>, filters: Filter[], ctx: ReadContext): Work<void> {
  const meter = new Meter(relay.config.limits.maxQueryCost);
  const prefix = eventFramePrefix(sub.id);
  const records = yield* queryWork(relay.store.tables, filters, ctx, meter, (rec) => new FramedEvent(prefix, rec));
  for (let i = 0; i < records.length; i++) {
    s.send(records[i]!.frame);
    if (i % SEND_PAUSE_EVERY === SEND_PAUSE_EVERY - 1) {
      countEventFrames(SEND_PAUSE_EVERY);
      yield PAUSE;
    }
  }
  countEventFrames(records.length % SEND_PAUSE_EVERY);
  const held = sub.held ?? [];
  sub.held = undefined;
  if (meter.over) {
    const reason = tooExpensive(meter);
    s.noteRejection(reason);
    relay.monitor.remove(sub);
    s.subs.delete(sub.id);
    s.send(closedFrame(sub.id, reason));
    return;
  }
  s.send(eoseFrame(sub.id));
  if (held.length === 0) return;
  const answered = new Set(records.map((r) => r.id));
  for (const h of held) if (!answered.has(h.id)) s.send(h.frame);
}
