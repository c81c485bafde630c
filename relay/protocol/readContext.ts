import type { ProtocolContext } from './context.ts';
import type { ReadContext } from '../store/query.ts';
import type { Session } from './session.ts';

/** What a session may read: everything except restricted kinds it is not a party to, banned authors, and what the policies hide from it. */
export function readContextFor(relay: ProtocolContext, s: Session): ReadContext {
  const restricted = relay.config.nips.restrictedKinds;
  const party: ReadContext['canRead'] = restricted.length === 0 ? undefined : (rec) => !restricted.includes(rec.kind) || s.mayRead(rec.event());
  const hidden = relay.policies.hiddenAuthors?.();
  const author: ReadContext['canRead'] = hidden ? (rec) => !hidden.has(rec.pubkey) && (party?.(rec) ?? true) : party;
  const veto = relay.policies.hiddenFrom?.(s.info);
  return {
    now: Math.floor(Date.now() / 1000),
    canRead: veto ? (rec) => !veto(rec) && (author?.(rec) ?? true) : author,
  };
}
