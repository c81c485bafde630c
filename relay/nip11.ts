import type { Config } from '../config/schema.ts';
import { readFileSync } from 'node:fs';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** NIPs this relay implements on the relay side, as configured. */
export function supportedNips(config: Config, extra: number[] = []): number[] {
  const nips = new Set([1, 9, 11, 40, 42, 77, 86, ...extra]);
  if (config.nips.count) nips.add(45);
  if (config.nips.search) nips.add(50);
  if (config.nips.vanish) nips.add(62);
  if (config.nips.protectedEvents) nips.add(70);
  return [...nips].sort((a, b) => a - b);
}

/** The NIP-11 document, derived from the configuration so it always tells the truth. */
export function relayInformation(config: Config, extra: { nips?: number[]; minPowDifficulty?: number } = {}): Record<string, unknown> {
  const { relay, limits, nips } = config;
  const doc: Record<string, unknown> = {
    name: relay.name,
    description: relay.description,
    supported_nips: supportedNips(config, extra.nips),
    version: VERSION,
    limitation: {
      max_message_length: limits.maxMessageBytes,
      max_subscriptions: limits.maxSubscriptions,
      max_limit: limits.maxLimit,
      default_limit: limits.defaultLimit,
      max_subid_length: limits.maxSubidLength,
      max_event_tags: limits.maxEventTags,
      max_content_length: limits.maxContentLength,
      ...(extra.minPowDifficulty ? { min_pow_difficulty: extra.minPowDifficulty } : {}),
      auth_required: nips.authRequired,
      payment_required: false,
      restricted_writes: false,
      ...(limits.createdAtLowerLimit > 0 ? { created_at_lower_limit: limits.createdAtLowerLimit } : {}),
      created_at_upper_limit: limits.createdAtUpperLimit,
    },
  };
  if (relay.pubkey) doc.pubkey = relay.pubkey;
  if (relay.contact) doc.contact = relay.contact;
  if (relay.icon) doc.icon = relay.icon;
  if (relay.banner) doc.banner = relay.banner;
  return doc;
}
