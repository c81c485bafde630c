import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { noticeFrame, okFrame } from '../frames.ts';

/** ["EVENT", <event>] → exactly one ["OK", id, accepted, message]. */
export async function handleEvent(relay: ProtocolContext, s: Session, msg: unknown[]): Promise<void> {
  const refuse = (reason: string): void => {
    s.noteRejection(reason);
    const id = (msg[1] as { id?: unknown } | undefined)?.id;
    // Every EVENT whose id can be read gets its OK (NIP-01); the rest a NOTICE.
    s.send(typeof id === 'string' ? okFrame(id, false, reason) : noticeFrame(reason));
  };
  if (msg.length !== 2) return refuse('invalid: EVENT takes exactly one event');
  // Refused before verification: a flood must not queue unbounded work (and memory) ahead of
  // everyone else's events; rate limits only apply after the signature is checked.
  // limits.maxEventsInFlight: pipelining clients stay far below the default.
  const max = relay.config.limits.maxEventsInFlight;
  if (s.eventsInFlight >= max) {
    return refuse(`rate-limited: more than ${max} events awaiting OK on this connection`);
  }
  s.eventsInFlight++;
  let result;
  try {
    result = await relay.submit(msg[1], 'client', s.info);
  } finally {
    s.eventsInFlight--;
  }
  if (!result.ok) s.noteRejection(result.message);
  if (result.id === undefined) s.send(noticeFrame(result.message));
  else s.send(okFrame(result.id, result.ok, result.message));
}
