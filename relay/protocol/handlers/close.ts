import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { noticeFrame } from '../frames.ts';

/** ["CLOSE", <subid>]: stops that subscription only; nothing is sent back. */
export function handleClose(relay: ProtocolContext, s: Session, msg: unknown[]): void {
  const subId = msg[1];
  if (typeof subId !== 'string') {
    s.send(noticeFrame('invalid: CLOSE needs a subscription id'));
    return;
  }
  // A REQ with this id still being admitted must not open afterwards.
  s.pendingReqs.delete(subId);
  const sub = s.subs.get(subId);
  if (!sub) return;
  relay.monitor.remove(sub);
  s.subs.delete(subId);
}
