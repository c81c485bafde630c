import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { Subscription } from '../../subscriptions/subscription.ts';
import { closedFrame, eoseFrame, eventFrameAfter, eventFramePrefix } from '../frames.ts';
import { admitRequest } from '../request.ts';
import { readContextFor } from '../readContext.ts';

/** ["REQ", <subid>, <filter>...]: stored matches, EOSE, then live matches until CLOSE. */
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
  const prefix = eventFramePrefix(subId);
  for (const rec of relay.store.query(filters, readContextFor(relay, s))) s.send(eventFrameAfter(prefix, rec.json));
  s.send(eoseFrame(subId));
  const sub = new Subscription(s, subId, filters);
  s.subs.set(subId, sub);
  relay.monitor.add(sub);
}
