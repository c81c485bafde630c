import type { Session } from '../protocol/session.ts';
import type { NegentropyResponder } from './responder.ts';

export interface NegSession {
  neg: NegentropyResponder;
  timer: NodeJS.Timeout;
  /** Records in its set, counted against the relay-wide budget. */
  size: number;
}

/** Open negentropy sessions per connection; their subids are a namespace apart from REQ's. */
const open = new Map<Session, Map<string, NegSession>>();
let held = 0;

const NONE: ReadonlyMap<string, NegSession> = new Map();

export function negSessions(s: Session): ReadonlyMap<string, NegSession> {
  return open.get(s) ?? NONE;
}

export function addNegSession(s: Session, subId: string, session: NegSession): void {
  let m = open.get(s);
  if (!m) open.set(s, (m = new Map()));
  m.set(subId, session);
  held += session.size;
}

export function closeNegSession(s: Session, subId: string): boolean {
  const m = open.get(s);
  const found = m?.get(subId);
  if (!found) return false;
  clearTimeout(found.timer);
  held -= found.size;
  m!.delete(subId);
  if (m!.size === 0) open.delete(s);
  return true;
}

const opening = new WeakMap<Session, Map<string, number>>();
let openings = 0;

/**
 * Marks a NEG-OPEN as the latest for its subid; the returned check tells, once its record set
 * is built, whether a newer NEG-OPEN with the same subid has replaced it meanwhile.
 */
export function beginOpen(s: Session, subId: string): { current(): boolean; done(): void } {
  let m = opening.get(s);
  if (!m) opening.set(s, (m = new Map()));
  const mine = ++openings;
  m.set(subId, mine);
  return {
    current: () => m.get(subId) === mine,
    done: () => {
      if (m.get(subId) === mine) m.delete(subId);
    },
  };
}

/**
 * Records held by all open sessions, relay-wide. Sessions of closed connections are freed
 * here (the connection's close does not know about negentropy), so a client cannot pile up
 * sets by reconnecting.
 */
export function heldRecords(): number {
  for (const [s, m] of open) {
    if (!s.closed) continue;
    for (const subId of [...m.keys()]) closeNegSession(s, subId);
  }
  return held;
}
