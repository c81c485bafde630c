import type { ProtocolContext } from './context.ts';
import type { ReadContext } from '../store/query.ts';
import type { Session } from './session.ts';

/** What a session may read: everything except restricted kinds it is not a party to, and banned authors. */
export function readContextFor(relay: ProtocolContext, s: Session): ReadContext {
  const restricted = relay.config.nips.restrictedKinds;
  const party: ReadContext['canRead'] = restricted.length === 0 ? undefined : (rec) => !restricted.includes(rec.kind) || s.mayRead(rec.event());
  const hidden = relay.policies.hiddenAuthors?.();
  return {
    now: Math.floor(Date.now() / 1000),
    canRead: hidden ? (rec) => !hidden.has(rec.pubkey) && (party?.(rec) ?? true) : party,
  };
}
