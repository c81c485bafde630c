import type { Session } from '../protocol/session.ts';
import type { NegentropyResponder } from './responder.ts';

export interface NegSession {
  neg: NegentropyResponder;
  timer: NodeJS.Timeout;
}

/** Open negentropy sessions per connection; their subids are a namespace apart from REQ's. */
const byConnection = new WeakMap<Session, Map<string, NegSession>>();

export function negSessions(s: Session): Map<string, NegSession> {
  let m = byConnection.get(s);
  if (!m) byConnection.set(s, (m = new Map()));
  return m;
}

export function closeNegSession(s: Session, subId: string): boolean {
  const m = byConnection.get(s);
  const open = m?.get(subId);
  if (!open) return false;
  clearTimeout(open.timer);
  m!.delete(subId);
  return true;
}
