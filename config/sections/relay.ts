import { z } from 'zod';
import { addressEntry } from './addresses.ts';

/** Where the relay listens and how it introduces itself (NIP-11). */
export const relaySection = z
  .object({
    host: z.string().default('127.0.0.1').describe('Address to bind. 127.0.0.1 keeps the relay private; use 0.0.0.0 behind a proxy.'),
    port: z.number().int().min(0).max(65535).default(7777).describe('TCP port for WebSocket and HTTP (0 picks a free port).'),
    url: z
      .string()
      .default('')
      .describe(
        'Public ws(s):// URL of this relay, checked in NIP-42 AUTH, NIP-62 vanish requests and NIP-98 tokens of the management API (as http(s)://). ' +
          'Empty: ws://host:port, so set it when binding 0.0.0.0 or behind a proxy.',
      ),
    name: z.string().max(64).default('Hamlet village relay').describe('NIP-11 name.').meta({ hot: true }),
    description: z
      .string()
      .default('A community relay with community-owned AI.')
      .describe('NIP-11 description.')
      .meta({ hot: true }),
    icon: z.string().default('').describe('NIP-11 icon URL.').meta({ hot: true }),
    banner: z.string().default('').describe('NIP-11 banner URL.').meta({ hot: true }),
    pubkey: z
      .string()
      .regex(/^([0-9a-f]{64})?$/, 'must be 64 lowercase hex characters or empty')
      .default('')
      .describe("NIP-11 admin contact pubkey (hex)."),
    admins: z
      .array(z.string().regex(/^([0-9a-f]{64}|npub1[02-9ac-hj-np-z]{58})$/, 'must be a 64-character lowercase hex pubkey or an npub'))
      .default([])
      .describe('Pubkeys (hex or npub) allowed to use the NIP-86 management API; relay.pubkey is an admin too.')
      .meta({ hot: true }),
    contact: z.string().default('').describe('NIP-11 contact URI (mailto: or https:).').meta({ hot: true }),
    realIpHeader: z
      .string()
      .default('')
      .describe(
        'Behind a reverse proxy: the header carrying the client address (x-forwarded-for, x-real-ip or forwarded), read only from relay.trustedProxies. ' +
          'Its hops are read from the right and the first one that is not a trusted proxy is the client. Empty: the socket address.',
      ),
    trustedProxies: z
      .array(addressEntry)
      .default(['loopback'])
      .describe('Proxies whose relay.realIpHeader is believed: addresses, CIDR ranges, "loopback" or "private". A header from any other peer is ignored.'),
    metricsAllow: z
      .array(addressEntry)
      .default(['loopback'])
      .describe(
        'Client addresses that may read /metrics (after relay.realIpHeader): addresses, CIDR ranges, "loopback" or "private". [] switches /metrics off. ' +
          'A request that came through a proxy whose client address is unknown is refused.',
      ),
    transport: z
      .enum(['auto', 'uws', 'ws'])
      .default('auto')
      .describe('auto: uWebSockets.js when its native binary loads, else the ws package. ws forces the fallback.'),
  })
  .strict();
