import type { Filter } from '../nostr/types.ts';
import { parseFilter } from '../nostr/filter.ts';
import { refusal } from '../policy.ts';
import { negErrFrame } from '../sync/frames.ts';
import type { ProtocolContext } from './context.ts';
import type { Session } from './session.ts';
import { closedFrame, noticeFrame } from './frames.ts';

type Verb = 'REQ' | 'COUNT' | 'NEG-OPEN';

const HEX = /^(?:[0-9a-f]{2})+$/;

/**
 * The checks every read shares: a valid id, 1..maxFilters valid filters, search where it can be
 * served, AUTH when required and for restricted kinds, then the read policies (which may reject
 * or rewrite the filters). `refuse` answers in the verb's own frame and returns undefined.
 */
async function admitFilters(
  relay: ProtocolContext,
  s: Session,
  verb: Verb,
  subId: string,
  rawFilters: unknown[],
  refuse: (message: string) => undefined,
): Promise<Filter[] | undefined> {
  const { limits, nips } = relay.config;
  if (subId.length === 0 || subId.length > limits.maxSubidLength) {
    return refuse(`invalid: subscription id must be 1 to ${limits.maxSubidLength} characters`);
  }
  if (rawFilters.length === 0) return refuse(`invalid: ${verb} needs at least one filter`);
  if (rawFilters.length > limits.maxFilters) return refuse(`invalid: too many filters (${rawFilters.length} > ${limits.maxFilters})`);
  const filters: Filter[] = [];
  for (const raw of rawFilters) {
    const parsed = parseFilter(raw, limits);
    if ('error' in parsed) return refuse(parsed.error);
    if (parsed.filter.search !== undefined) {
      if (verb === 'NEG-OPEN') return refuse('invalid: search filters cannot be synced (NIP-77)');
      if (!nips.search) return refuse('invalid: search (NIP-50) is not enabled on this relay');
    }
    filters.push(parsed.filter);
  }
  if (nips.authRequired && s.authed.size === 0) return refuse('auth-required: this relay requires authentication');
  const asksRestricted = filters.some((f) => f.kinds?.some((k) => nips.restrictedKinds.includes(k)));
  if (asksRestricted && s.authed.size === 0) {
    return refuse('auth-required: direct messages and gift wraps are only served to their parties');
  }
  // The read policies see a NEG-OPEN as the REQ it amounts to.
  const decision = await relay.policies.read({ verb: verb === 'COUNT' ? 'COUNT' : 'REQ', subId, filters, conn: s.info });
  if (s.closed) return undefined;
  const refused = refusal(decision);
  if (refused !== undefined) return refuse(refused);
  return decision.action === 'rewrite' ? decision.filters : filters;
}

/** REQ and COUNT: ["REQ"|"COUNT", <subid>, <filter>...]; refused with CLOSED (NOTICE without a usable id). */
export async function admitRequest(
  relay: ProtocolContext,
  s: Session,
  msg: unknown[],
  verb: 'REQ' | 'COUNT',
): Promise<{ subId: string; filters: Filter[] } | undefined> {
  const subId = msg[1];
  if (typeof subId !== 'string') {
    s.send(noticeFrame(`invalid: ${verb} needs a subscription id`));
    return undefined;
  }
  const refuse = (message: string): undefined => {
    s.noteRejection(message);
    // CLOSED ends the id for the client, so a refused REQ that re-uses an open id ends that subscription too.
    const open = verb === 'REQ' ? s.subs.get(subId) : undefined;
    if (open) {
      relay.monitor.remove(open);
      s.subs.delete(subId);
    }
    s.send(closedFrame(subId, message));
    return undefined;
  };
  const filters = await admitFilters(relay, s, verb, subId, msg.slice(2), refuse);
  return filters && { subId, filters };
}

export interface NegOpen {
  subId: string;
  filters: Filter[];
  initial: string;
}

/**
 * ["NEG-OPEN", <subid>, <filter>, <initial hex>] (NIP-77): the same read rules as REQ, refused
 * with NEG-ERR. Without a `limit` the filter covers every matching record (NIP-77 syncs whole sets).
 */
export async function admitNegOpen(relay: ProtocolContext, s: Session, msg: unknown[]): Promise<NegOpen | undefined> {
  const subId = msg[1];
  if (typeof subId !== 'string') {
    s.send(noticeFrame('invalid: NEG-OPEN needs a subscription id'));
    return undefined;
  }
  const refuse = (message: string): undefined => {
    s.noteRejection(message);
    s.send(negErrFrame(subId, message));
    return undefined;
  };
  const [raw, initial] = [msg[2], msg[3]];
  if (subId.length > 0 && subId.length <= relay.config.limits.maxSubidLength) {
    if (typeof initial !== 'string' || !HEX.test(initial)) return refuse('invalid: NEG-OPEN needs an initial message in hex');
    if (initial.length > relay.config.limits.maxMessageBytes) return refuse('invalid: initial message too large');
  }
  const filters = await admitFilters(relay, s, 'NEG-OPEN', subId, [raw], refuse);
  if (!filters) return undefined;
  const limited = typeof raw === 'object' && raw !== null && 'limit' in raw;
  return { subId, initial: initial as string, filters: limited ? filters : filters.map((f) => ({ ...f, limit: undefined })) };
}
