import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { TokenBuckets } from './buckets.ts';
import { addressEntry } from '../../config/sections/addresses.ts';
import { addressList } from '../../relay/server/addresses.ts';

const bucket = z.object({ perMinute: z.number().positive(), burst: z.number().int().min(1) }).strict();

const options = z
  .object({
    perIp: bucket.optional().describe('Bucket per client IP.'),
    perPubkey: bucket.optional().describe('Bucket per author (EVENT) or authenticated pubkey (REQ/COUNT).'),
    exemptIps: z
      .array(addressEntry)
      .default([])
      .describe('Client addresses never limited: addresses, CIDR ranges, "loopback" or "private" (none by default: behind a proxy every client could be loopback).'),
    exemptPubkeys: z.array(z.string()).default([]).describe('Pubkeys never limited (hex).'),
    exemptMembers: z.boolean().default(false).describe('Never limit the village members (trust distance 0).'),
    rule: z.string().default('flood').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/**
 * Token-bucket rate limits. On the connection stage it limits new connections per IP; on write
 * it limits EVENTs per IP and per author; on read it limits REQ and COUNT per IP and per
 * authenticated pubkey. Each stage keeps its own buckets. Only client traffic is limited.
 */
export const rateLimit = defineBuiltin({
  name: 'rateLimit',
  description: 'Token buckets per IP and per pubkey for connections, EVENT and REQ/COUNT.',
  options,
  create: (o, ctx) => {
    const exemptIps = addressList(o.exemptIps);
    const exemptPubkeys = new Set(o.exemptPubkeys);
    const make = (b: z.infer<typeof bucket> | undefined) => (b ? new TokenBuckets(b.perMinute, b.burst) : undefined);
    const stages = {
      connection: { ip: make(o.perIp) },
      write: { ip: make(o.perIp), pk: make(o.perPubkey) },
      read: { ip: make(o.perIp), pk: make(o.perPubkey) },
    };
    const exempt = (pk: string) => exemptPubkeys.has(pk) || (o.exemptMembers && ctx.trust.distance(pk) === 0);
    const limited = (what: string) => act('reject', `rate-limited: slow down, too many ${what}`, o.rule);
    return {
      connection({ ip }) {
        if (exemptIps.has(ip)) return ACCEPT;
        return stages.connection.ip && !stages.connection.ip.take(ip) ? limited('connections') : ACCEPT;
      },
      write({ event, conn, source }) {
        if (source !== 'client' || exemptIps.has(conn.ip) || exempt(event.pubkey)) return ACCEPT;
        const s = stages.write;
        if (s.ip && !s.ip.take(conn.ip)) return limited('events from your address');
        if (s.pk && !s.pk.take(event.pubkey)) return limited('events from this author');
        return ACCEPT;
      },
      read({ conn }) {
        if (exemptIps.has(conn.ip)) return ACCEPT;
        const s = stages.read;
        if (s.ip && !s.ip.take(conn.ip)) return limited('requests from your address');
        if (s.pk) for (const pk of conn.authed) if (!exempt(pk) && !s.pk.take(pk)) return limited('requests from this account');
        return ACCEPT;
      },
    };
  },
});
