import { refusal } from '../policy.ts';
import type { Filter } from '../nostr/types.ts';
import { parseFilter } from '../nostr/filter.ts';
import type { Relay } from '../relay.ts';
import type { Session } from '../protocol/session.ts';
import { noticeFrame } from '../protocol/frames.ts';
import { negErrFrame } from './frames.ts';

const HEX = /^(?:[0-9a-f]{2})+$/;

export interface NegOpen {
  subId: string;
  filters: Filter[];
  initial: string;
}

/**
 * The checks of ["NEG-OPEN", subid, filter, hex]: the same read rules as REQ (request.ts
 * admitRequest: filter limits, AUTH for restricted kinds and authRequired, the read
 * policies, which see it as a REQ), refused with NEG-ERR instead of CLOSED.
 * Without a `limit` the filter covers every matching record (NIP-77 syncs whole sets).
 */
export async function admitNegOpen(relay: Relay, s: Session, msg: unknown[]): Promise<NegOpen | undefined> {
  const { limits, nips } = relay.config;
  const subId = msg[1];
  if (typeof subId !== 'string') {
    s.send(noticeFrame('invalid: NEG-OPEN needs a subscription id'));
    return undefined;
  }
  const refuse = (message: string) => {
    s.noteRejection(message);
    s.send(negErrFrame(subId, message));
    return undefined;
  };
  if (subId.length === 0 || subId.length > limits.maxSubidLength) {
    return refuse(`invalid: subscription id must be 1 to ${limits.maxSubidLength} characters`);
  }
  const [raw, initial] = [msg[2], msg[3]];
  if (typeof initial !== 'string' || !HEX.test(initial)) return refuse('invalid: NEG-OPEN needs an initial message in hex');
  if (initial.length > limits.maxMessageBytes) return refuse('invalid: initial message too large');
  const parsed = parseFilter(raw, limits);
  if ('error' in parsed) return refuse(parsed.error);
  if (parsed.filter.search !== undefined) return refuse('unsupported: search filters cannot be synced');
  const limited = typeof raw === 'object' && raw !== null && 'limit' in raw;
  if (nips.authRequired && s.authed.size === 0) return refuse('auth-required: this relay requires authentication');
  if (parsed.filter.kinds?.some((k) => nips.restrictedKinds.includes(k)) && s.authed.size === 0) {
    return refuse('auth-required: direct messages and gift wraps are only served to their parties');
  }
  const decision = await relay.policies.read({ verb: 'REQ', subId, filters: [parsed.filter], conn: s.info });
  if (s.closed) return undefined;
  const refused = refusal(decision);
  if (refused !== undefined) return refuse(refused);
  const filters = decision.action === 'rewrite' ? decision.filters : [parsed.filter];
  return { subId, initial, filters: limited ? filters : filters.map((f) => ({ ...f, limit: undefined })) };
}
