import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { closeNegSession } from '../../sync/sessions.ts';

/** ["NEG-CLOSE", <subid>] (NIP-77): frees the session; no reply. */
export function handleNegClose(_relay: ProtocolContext, s: Session, msg: unknown[]): void {
  if (typeof msg[1] === 'string') closeNegSession(s, msg[1]);
}
