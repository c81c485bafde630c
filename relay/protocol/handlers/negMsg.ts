import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { noticeFrame } from '../frames.ts';
import { negErrFrame, negMsgFrame } from '../../sync/frames.ts';
import { negLimits } from '../../sync/limits.ts';
import { NEG_VERSION, versionOf } from '../../sync/responder.ts';
import { closeNegSession, negSessions } from '../../sync/sessions.ts';

const HEX = /^(?:[0-9a-f]{2})+$/;

/** Closes an idle session with NEG-ERR "closed:" so its record set is not held forever. */
export function armIdleTimer(s: Session, subId: string, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    if (!closeNegSession(s, subId)) return;
    s.send(negErrFrame(subId, `closed: negentropy session idle for over ${Math.round(ms / 1000)} seconds`));
  }, ms);
  timer.unref();
  return timer;
}

/** ["NEG-MSG", <subid>, <hex>] (NIP-77): the next round of an open reconciliation. */
export function handleNegMsg(relay: ProtocolContext, s: Session, msg: unknown[]): void {
  const [, subId, hex] = msg;
  if (typeof subId !== 'string') return void s.send(noticeFrame('invalid: NEG-MSG needs a subscription id'));
  const open = negSessions(s).get(subId);
  const refuse = (reason: string) => {
    closeNegSession(s, subId);
    s.noteRejection(reason);
    s.send(negErrFrame(subId, reason));
  };
  if (!open) return refuse('closed: no open negentropy session with this id');
  if (typeof hex !== 'string' || !HEX.test(hex)) return refuse('invalid: NEG-MSG needs a message in hex');
  const version = versionOf(hex);
  if (version === 'unsupported') return void s.send(negMsgFrame(subId, NEG_VERSION.toString(16)));
  if (version === 'invalid') return refuse('invalid: not a negentropy message');
  let reply: string;
  try {
    reply = open.neg.respond(hex);
  } catch (err) {
    return refuse(`invalid: ${(err as Error).message}`);
  }
  clearTimeout(open.timer);
  open.timer = armIdleTimer(s, subId, negLimits(relay.config).idleMs);
  s.send(negMsgFrame(subId, reply));
}
