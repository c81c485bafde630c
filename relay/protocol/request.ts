import { refusal } from '../policy.ts';
import type { Filter } from '../nostr/types.ts';
import { parseFilter } from '../nostr/filter.ts';
import type { Relay } from '../relay.ts';
import type { Session } from './session.ts';
import { closedFrame, noticeFrame } from './frames.ts';

/**
 * The checks REQ and COUNT share: a valid id, 1..maxFilters valid filters, search enabled,
 * NIP-42 for restricted kinds, and the read policies (which may reject or rewrite filters).
 * Sends CLOSED (or NOTICE without a usable id) and returns undefined when refused.
 */
export async function admitRequest(
  relay: Relay,
  s: Session,
  msg: unknown[],
  verb: 'REQ' | 'COUNT',
): Promise<{ subId: string; filters: Filter[] } | undefined> {
  const { limits, nips } = relay.config;
  const subId = msg[1];
  if (typeof subId !== 'string') {
    s.send(noticeFrame(`invalid: ${verb} needs a subscription id`));
    return undefined;
  }
  const refuse = (message: string) => {
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
  if (subId.length === 0 || subId.length > limits.maxSubidLength) {
    return refuse(`invalid: subscription id must be 1 to ${limits.maxSubidLength} characters`);
  }
  const rawFilters = msg.slice(2);
  if (rawFilters.length === 0) return refuse(`invalid: ${verb} needs at least one filter`);
  if (rawFilters.length > limits.maxFilters) return refuse(`invalid: too many filters (${rawFilters.length} > ${limits.maxFilters})`);
  const filters: Filter[] = [];
  for (const raw of rawFilters) {
    const parsed = parseFilter(raw, limits);
    if ('error' in parsed) return refuse(parsed.error);
    if (parsed.filter.search !== undefined && !nips.search) return refuse('unsupported: search (NIP-50) is not enabled on this relay');
    filters.push(parsed.filter);
  }
  if (nips.authRequired && s.authed.size === 0) return refuse('auth-required: this relay requires authentication');
  const asksRestricted = filters.some((f) => f.kinds?.some((k) => nips.restrictedKinds.includes(k)));
  if (asksRestricted && s.authed.size === 0) {
    return refuse('auth-required: direct messages and gift wraps are only served to their parties');
  }
  const decision = await relay.policies.read({ verb, subId, filters, conn: s.info });
  if (s.closed) return undefined;
  const refused = refusal(decision);
  if (refused !== undefined) return refuse(refused);
  return { subId, filters: decision.action === 'rewrite' ? decision.filters : filters };
}
