import { refusal } from '../../policy.ts';
import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { checkEventShape, pickEvent } from '../../nostr/validate.ts';
import { serialise } from '../../nostr/canonical.ts';
import { firstTagValue } from '../../nostr/tags.ts';
import { KIND_AUTH } from '../../nostr/kinds.ts';
import { sameRelay } from '../../nostr/relayUrl.ts';
import { VALID } from '../../verify/worker.ts';
import { noticeFrame, okFrame } from '../frames.ts';

const AUTH_WINDOW_SECONDS = 600;

/** ["AUTH", <kind 22242 event>] (NIP-42): every check passes, or OK false says which failed. */
export async function handleAuth(relay: ProtocolContext, s: Session, msg: unknown[]): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const shapeError = checkEventShape(msg[1], { ...relay.config.limits, createdAtLowerLimit: 0, createdAtUpperLimit: AUTH_WINDOW_SECONDS }, now);
  const raw = msg[1] as { id?: unknown } | undefined;
  if (shapeError) {
    if (typeof raw?.id === 'string') s.send(okFrame(raw.id, false, shapeError));
    else s.send(noticeFrame(shapeError));
    return;
  }
  const e = pickEvent(msg[1] as Record<string, unknown>);
  const fail = (reason: string) => {
    s.noteRejection(reason);
    s.send(okFrame(e.id, false, reason));
  };
  if (e.kind !== KIND_AUTH) return fail('invalid: AUTH needs a kind 22242 event');
  if (Math.abs(now - e.created_at) > AUTH_WINDOW_SECONDS) return fail('invalid: AUTH event created_at is too far from now');
  if (firstTagValue(e, 'challenge') !== s.challenge) return fail('invalid: AUTH challenge does not match');
  const relayTag = firstTagValue(e, 'relay');
  if (relayTag === undefined || !sameRelay(relayTag, relay.url)) return fail('invalid: AUTH relay tag does not name this relay');
  const code = await relay.verify.check(e, serialise(e).hashInput);
  if (code !== VALID) return fail('invalid: AUTH event has a bad id or signature');
  const decision = await relay.policies.auth({ pubkey: e.pubkey, conn: s.info });
  const refused = refusal(decision);
  if (refused !== undefined) return fail(refused);
  s.authed.add(e.pubkey);
  s.send(okFrame(e.id, true, ''));
}
