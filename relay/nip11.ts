import type { Config } from '../config/schema.ts';
import { readFileSync } from 'node:fs';
import type { Nip11Limitation, PolicyEngine } from './policy.ts';

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; homepage?: string };

/** Hamlet's version (package.json), for NIP-11, `hamlet --version` and the start banner. */
export const VERSION = PACKAGE.version;

/** The path of the village rulebook page, which NIP-11's posting_policy points at. */
export const RULEBOOK_PATH = '/rulebook';

type Limits = Partial<Nip11Limitation>;

/** Fields where the stricter value is the larger one; every other number is a ceiling. */
const FLOORS = new Set<string>(['min_pow_difficulty']);

/** Two sets of limits that both apply, as one: the stricter value of each field. */
export function stricter(a: Limits, b: Limits): Limits {
  const out: Record<string, number | boolean> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const prior = out[k];
    if (prior === undefined) out[k] = v;
    else if (typeof v === 'boolean') out[k] = prior === true || v;
    else out[k] = FLOORS.has(k) ? Math.max(prior as number, v) : Math.min(prior as number, v);
  }
  return out as Limits;
}

/** NIPs this relay implements on the relay side, as configured. */
export function supportedNips(config: Config, extra: number[] = []): number[] {
  const nips = new Set([1, 9, 11, 40, 42, 77, 86, ...extra]);
  if (config.nips.count) nips.add(45);
  if (config.nips.search) nips.add(50);
  if (config.nips.vanish) nips.add(62);
  if (config.nips.protectedEvents) nips.add(70);
  if (config.groups.enabled) nips.add(29);
  if (config.groups.wiki) nips.add(54);
  return [...nips].sort((a, b) => a - b);
}

/** The relay's own limits, from the configuration. */
function configLimits(config: Config): Limits {
  const { limits, nips } = config;
  return {
    max_message_length: limits.maxMessageBytes,
    max_subscriptions: limits.maxSubscriptions,
    max_limit: limits.maxLimit,
    default_limit: limits.defaultLimit,
    max_subid_length: limits.maxSubidLength,
    max_event_tags: limits.maxEventTags,
    max_content_length: limits.maxContentLength,
    auth_required: nips.authRequired,
    payment_required: false,
    restricted_writes: false,
    ...(limits.createdAtLowerLimit > 0 ? { created_at_lower_limit: limits.createdAtLowerLimit } : {}),
    created_at_upper_limit: limits.createdAtUpperLimit,
  };
}

/** http(s) for ws(s): the relay's web pages share its address. */
const httpBase = (url: string): string => url.replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '');

/**
 * The NIP-11 document, from the configuration and the running policies, so it tells what the
 * relay actually enforces: each limit is the stricter of the relay's and the policies'.
 */
export function relayInformation(config: Config, extra: { nips?: number[]; policies?: Pick<PolicyEngine, 'limits'>; self?: string } = {}): Record<string, unknown> {
  const { relay } = config;
  const limitation = stricter(configLimits(config), extra.policies?.limits?.() ?? {});
  // A missing limit is served as the default, and never more than the most a REQ may ask for.
  if (limitation.default_limit !== undefined && limitation.max_limit !== undefined) {
    limitation.default_limit = Math.min(limitation.default_limit, limitation.max_limit);
  }
  const doc: Record<string, unknown> = {
    name: relay.name,
    description: relay.description,
    supported_nips: supportedNips(config, extra.nips),
    software: PACKAGE.homepage ?? PACKAGE.name,
    version: VERSION,
    limitation,
  };
  if (relay.url) doc.posting_policy = `${httpBase(relay.url)}${RULEBOOK_PATH}`;
  // The relay's data terms (commons/): the datasets' default licence, the uses exported, the terms page.
  if (config.commons.enabled) {
    const c = config.commons;
    doc.commons = { license: c.license, purposes: c.purposes, kinds: c.kinds, ...(relay.url ? { terms: `${httpBase(relay.url)}/commons` } : {}), ...(c.contact ? { contact: c.contact } : {}) };
  }
  if (relay.pubkey) doc.pubkey = relay.pubkey;
  if (extra.self) doc.self = extra.self;
  if (relay.contact) doc.contact = relay.contact;
  if (relay.icon) doc.icon = relay.icon;
  if (relay.banner) doc.banner = relay.banner;
  return doc;
}
