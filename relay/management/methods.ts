import { isIP } from 'node:net';
import { relaySection } from '../../config/sections/relay.ts';
import type { Relay } from '../relay.ts';
import { isHex64 } from '../nostr/hex.ts';
import { parsePubkey } from '../nostr/keys.ts';
import { RpcError } from './rpc.ts';
import type { RelaySettings, SettingKey } from './settings.ts';

/** One NIP-86 method: params in, JSON result out (RpcError for a refusal). */
export type Method = (params: unknown[], admin: string) => unknown;

export interface ManagementDeps {
  relay: Relay;
  settings: RelaySettings;
  /** Methods a capability adds (village moderation's case queue); they cannot replace the standard ones. */
  extra?: ReadonlyMap<string, Method>;
}

function pubkeyParam(v: unknown): string {
  const pk = parsePubkey(v);
  if (pk === undefined) throw new RpcError('invalid: the first param must be a pubkey (64 hex characters or npub)');
  return pk;
}
function eventIdParam(v: unknown): string {
  if (typeof v === 'string' && isHex64(v.toLowerCase())) return v.toLowerCase();
  throw new RpcError('invalid: the first param must be an event id (64 hex characters)');
}
function kindParam(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  throw new RpcError('invalid: the first param must be a kind (integer 0-65535)');
}
function ipParam(v: unknown): string {
  if (typeof v === 'string' && isIP(v.trim()) !== 0) return v.trim();
  throw new RpcError('invalid: the first param must be an IPv4 or IPv6 address');
}
const reasonParam = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The NIP-86 methods this relay can back. Moderation methods need a policy engine with a
 * moderator (bans, allow lists, the hold queue); relay settings always work.
 */
export function managementMethods({ relay, settings, extra }: ManagementDeps): Map<string, Method> {
  const methods = new Map<string, Method>();
  const mod = () => {
    const m = relay.policies.moderator;
    if (!m) throw new RpcError('error: moderation is not available with this policy engine');
    return m;
  };

  const change = (key: SettingKey): Method => async ([value]) => {
    const parsed = relaySection.shape[key].safeParse(value);
    if (typeof value !== 'string' || !parsed.success) throw new RpcError(`invalid: the first param must be a valid relay ${key} (a string)`);
    await settings.set(key, parsed.data);
    const c = relay.config;
    relay.setConfig({ ...c, relay: { ...c.relay, [key]: parsed.data } });
    return true;
  };
  methods.set('changerelayname', change('name'));
  methods.set('changerelaydescription', change('description'));
  methods.set('changerelayicon', change('icon'));

  if (relay.policies.moderator) {
    methods.set('banpubkey', async ([pk, reason], admin) => {
      await mod().banPubkey(pubkeyParam(pk), { moderator: admin, reason: reasonParam(reason) });
      return true;
    });
    methods.set('unbanpubkey', async ([pk, reason], admin) => {
      await mod().unbanPubkey(pubkeyParam(pk), { moderator: admin, reason: reasonParam(reason) });
      return true;
    });
    methods.set('listbannedpubkeys', () => mod().listBannedPubkeys().map((b) => ({ pubkey: b.pubkey, reason: b.reason })));
    methods.set('allowpubkey', async ([pk, reason], admin) => {
      await mod().allowPubkey(pubkeyParam(pk), { moderator: admin, reason: reasonParam(reason) });
      return true;
    });
    methods.set('unallowpubkey', async ([pk]) => {
      await mod().unallowPubkey(pubkeyParam(pk));
      return true;
    });
    methods.set('listallowedpubkeys', () => mod().listAllowedPubkeys().map((b) => ({ pubkey: b.pubkey, reason: b.reason })));

    methods.set('listeventsneedingmoderation', () => mod().listHeld(1000).map((h) => ({ id: h.id, reason: h.reason })));
    methods.set('allowevent', async ([id, reason], admin) => {
      await mod().allowEvent(eventIdParam(id), { moderator: admin, reason: reasonParam(reason) });
      return true;
    });
    methods.set('banevent', async ([id, reason], admin) => {
      await mod().banEvent(eventIdParam(id), { moderator: admin, reason: reasonParam(reason) });
      return true;
    });
    methods.set('listbannedevents', () => mod().listBannedEvents().map((b) => ({ id: b.id, reason: b.reason })));

    methods.set('allowkind', async ([kind], admin) => {
      await mod().allowKind(kindParam(kind), { moderator: admin });
      return true;
    });
    methods.set('disallowkind', async ([kind], admin) => {
      await mod().disallowKind(kindParam(kind), { moderator: admin });
      return true;
    });
    methods.set('listallowedkinds', () => mod().listAllowedKinds());
    methods.set('listdisallowedkinds', () => mod().listDisallowedKinds());

    methods.set('blockip', async ([ip, reason], admin) => {
      const addr = ipParam(ip);
      await mod().blockIp(addr, { moderator: admin, reason: reasonParam(reason) });
      // Connections already open from that address go too, so the block holds for reads at once.
      for (const s of [...relay.sessions]) if (mod().isIpBlocked(s.ip)) s.socket.close(1008, 'blocked: this address is blocked');
      return true;
    });
    methods.set('unblockip', async ([ip]) => {
      await mod().unblockIp(ipParam(ip));
      return true;
    });
    methods.set('listblockedips', () => mod().listBlockedIps().map((b) => ({ ip: b.ip, reason: b.reason })));
  }

  for (const [name, method] of extra ?? []) if (!methods.has(name)) methods.set(name, method);
  methods.set('supportedmethods', () => [...methods.keys()].sort());
  return methods;
}
