import type { Config } from '../../config/schema.ts';
import type { Logger } from '../log.ts';
import type { Session } from '../protocol/session.ts';
import type { Socket } from './socket.ts';
import type { HttpHandler } from './http.ts';
import { addressList, normaliseAddress, parseAddress, type AddressList } from './addresses.ts';

/** What a transport needs of the relay: admit, open, feed and close sessions. */
export interface TransportHost {
  readonly log: Logger;
  /** The client's address from the socket's and the forwarded headers the relay trusts. */
  clientIp(socketIp: string, header: (lowercaseName: string) => string | undefined): string;
  /** The connection-stage policy: a refusal reason, or undefined to admit. */
  admit(ip: string, userAgent: string | undefined): Promise<string | undefined>;
  open(socket: Socket, ip: string, userAgent?: string): Session;
  message(s: Session, text: string): void;
  close(s: Session): void;
}

export interface TransportOptions {
  host: string;
  port: number;
  relay: TransportHost;
  http: HttpHandler;
  /** Frames larger than this are cut off by the transport itself (the relay answers up to maxMessageBytes). */
  maxPayloadBytes: number;
  /** Outbound bytes a socket may queue before it is closed as a slow consumer. */
  maxBackpressureBytes: number;
}

export interface Transport {
  readonly name: 'uws' | 'ws';
  readonly port: number;
  /** Stop listening and close every connection. */
  close(): Promise<void>;
}

/**
 * The frame size the transport accepts. Far above the relay's limit: uWS and ws cut a bigger frame
 * with no word to the client, while the relay answers one it refuses (and closes the connection
 * for one over 4× its limit), so only frames past this cap go unexplained.
 */
export const transportPayloadLimit = (maxMessageBytes: number): number => Math.max(maxMessageBytes * 4, 16 * 1024 * 1024);

/** The answer to a frame that is not UTF-8 (NIP-01 frames are JSON text). */
export const NOT_UTF8 = 'invalid: message is not valid UTF-8';

/** Headers a reverse proxy adds: their presence means the socket's peer is not the client. */
export const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/** The addresses a header lists, nearest hop last: a list (x-forwarded-for, x-real-ip) or RFC 7239 `for=` elements. */
function hops(headerName: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (headerName !== 'forwarded') return items;
  return items.map((element) => {
    const pair = element.split(';').find((p) => p.trim().toLowerCase().startsWith('for='));
    return pair ? pair.trim().slice(4).replace(/^"(.*)"$/, '$1') : '';
  });
}

/**
 * The client's address. Only a trusted proxy's header is read, from the right: each proxy appends
 * the address it received from, so the rightmost hop that is not itself a trusted proxy is the
 * client, and whatever a client wrote into the header sits left of it, never reached. A hop that
 * is not an address stops the walk at the proxy that wrote it.
 */
export function clientIp(socketIp: string, header: { name: string; value: string } | undefined, trusted: AddressList): string {
  let client = normaliseAddress(socketIp);
  if (!header || !trusted.has(client)) return client;
  const list = hops(header.name, header.value);
  for (let i = list.length - 1; i >= 0; i--) {
    const hop = parseAddress(list[i]!);
    if (!hop) return client;
    client = hop.toString();
    if (!trusted.has(hop)) return client;
  }
  return client;
}

const warned = new WeakMap<Logger, Set<string>>();
function warnOnce(log: Logger, key: string, fields: object, message: string): void {
  let keys = warned.get(log);
  if (!keys) warned.set(log, (keys = new Set()));
  if (keys.has(key)) return;
  keys.add(key);
  log.warn(fields, message);
}

/**
 * What Relay.clientIp answers: the client address by relay.realIpHeader and relay.trustedProxies,
 * with one warning per relay when a proxy's headers go unread (every client behind it would share
 * the proxy's address, and so its rate limits).
 */
export function resolveClientIp(
  cfg: Pick<Config['relay'], 'realIpHeader' | 'trustedProxies'>,
  log: Logger,
  socketIp: string,
  header: (lowercaseName: string) => string | undefined,
): string {
  const name = cfg.realIpHeader.toLowerCase();
  if (!name) {
    const seen = FORWARDING_HEADERS.find((h) => header(h) !== undefined);
    if (seen) warnOnce(log, 'unset', { header: seen }, `requests arrive with a ${seen} header but relay.realIpHeader is not set: clients behind that proxy all get its address`);
    return normaliseAddress(socketIp);
  }
  const trusted = addressList(cfg.trustedProxies);
  const value = header(name);
  if (value !== undefined && !trusted.has(socketIp)) {
    warnOnce(log, 'untrusted', { peer: socketIp, header: name }, `a ${name} header from ${socketIp} was ignored: that peer is not in relay.trustedProxies`);
  }
  return clientIp(socketIp, value === undefined ? undefined : { name, value }, trusted);
}
