import { z } from 'zod';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { kindMatcher, kindSpec } from './shared.ts';
import { KIND_METADATA } from '../../relay/nostr/kinds.ts';

const options = z
  .object({
    domains: z.array(z.string()).default([]).describe('Accepted NIP-05 domains (empty: any verified domain).'),
    denyDomains: z.array(z.string()).default([]).describe('Refused NIP-05 domains.'),
    exemptKinds: z.array(kindSpec).default([0]).describe('Kinds accepted without a verified identity (kind 0 carries the identity itself).'),
    urlTemplate: z
      .string()
      .default('https://{domain}/.well-known/nostr.json?name={name}')
      .describe('Where identities are checked; {domain} and {name} are filled in.'),
    cacheSeconds: z.number().int().min(0).default(3600).describe('How long a check (either way) is remembered.'),
    fetchTimeoutMs: z.number().int().min(1).default(3000).describe('Time allowed for one lookup.'),
    rule: z.string().default('identity').describe('Rulebook id named in the decisions.'),
  })
  .strict();

export type Nip05Fetcher = (url: string, signal: AbortSignal) => Promise<unknown>;

const defaultFetcher: Nip05Fetcher = async (url, signal) => {
  const res = await fetch(url, { signal, redirect: 'error', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
};

/** The author's NIP-05 address from a kind 0 event. */
function addressOf(profile: NostrEvent | undefined): { name: string; domain: string } | undefined {
  if (!profile) return undefined;
  try {
    const nip05 = (JSON.parse(profile.content) as { nip05?: unknown }).nip05;
    if (typeof nip05 !== 'string') return undefined;
    const m = /^([a-z0-9._-]+)@([a-z0-9.-]+\.[a-z]{2,}|localhost|[0-9.]+(?::\d+)?)$/i.exec(nip05.trim());
    return m ? { name: m[1]!.toLowerCase(), domain: m[2]!.toLowerCase() } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Requires a verified NIP-05 identity (optionally on given domains). The profile is the event
 * itself for kind 0, else the newest stored kind 0; checks are cached either way. The fetcher
 * is injectable (programmatic use) and the URL template configurable (tests, private resolvers).
 */
export const nip05 = defineBuiltin({
  name: 'nip05',
  description: 'Requires a NIP-05 identity verified on an accepted domain.',
  options,
  create: (o, ctx, fetcher: Nip05Fetcher = defaultFetcher) => {
    const domains = new Set(o.domains.map((d) => d.toLowerCase()));
    const deny = new Set(o.denyDomains.map((d) => d.toLowerCase()));
    const exempt = kindMatcher(o.exemptKinds);
    const cache = new Map<string, { ok: boolean; until: number }>();

    const verify = async (pubkey: string, name: string, domain: string): Promise<boolean> => {
      const key = `${pubkey}:${name}@${domain}`;
      const hit = cache.get(key);
      if (hit && hit.until > Date.now()) return hit.ok;
      const url = o.urlTemplate.replaceAll('{domain}', encodeURIComponent(domain)).replaceAll('{name}', encodeURIComponent(name));
      let ok = false;
      try {
        const body = (await fetcher(url, AbortSignal.timeout(o.fetchTimeoutMs))) as { names?: Record<string, unknown> };
        ok = body?.names?.[name] === pubkey;
      } catch (err) {
        ctx.log.debug({ url, err: (err as Error).message }, 'nip05 lookup failed');
      }
      if (cache.size > 50_000) cache.clear();
      cache.set(key, { ok, until: Date.now() + o.cacheSeconds * 1000 });
      return ok;
    };

    const required = domains.size > 0 ? `a NIP-05 identity on ${[...domains].join(', ')}` : 'a verified NIP-05 identity';
    return {
      async write({ event }) {
        if (exempt(event.kind)) return ACCEPT;
        const profile = event.kind === KIND_METADATA ? event : ctx.services?.query([{ kinds: [KIND_METADATA], authors: [event.pubkey], limit: 1 }])[0];
        const addr = addressOf(profile);
        if (!addr) return act('reject', `restricted: ${required} is required to post here`, o.rule);
        if (deny.has(addr.domain) || (domains.size > 0 && !domains.has(addr.domain))) {
          return act('reject', `restricted: NIP-05 domain ${addr.domain} is not accepted here`, o.rule);
        }
        if (!(await verify(event.pubkey, addr.name, addr.domain))) {
          return act('reject', `restricted: NIP-05 identity ${addr.name}@${addr.domain} does not verify`, o.rule);
        }
        return ACCEPT;
      },
    };
  },
});
