import { createHash } from 'node:crypto';
import type { NostrEvent } from '../nostr/types.ts';
import { isHex128, isHex64 } from '../nostr/hex.ts';

/** NIP-98 HTTP Auth event kind. */
export const HTTP_AUTH_KIND = 27235;
/** How far created_at may be from now, either way (NIP-98 suggests 60 s). */
export const HTTP_AUTH_WINDOW_SECONDS = 60;

/** What the check needs to know about the HTTP request. */
export interface HttpAuthRequest {
  method: string;
  /** Query string without '?', or ''. */
  query: string;
  /** The path below the relay URL's own that `u` must name (the pages' API); default the relay's (NIP-86). */
  path?: string;
  body: Buffer;
}

export type HttpAuthResult = { ok: true; pubkey: string; event: NostrEvent } | { ok: false; reason: string };

/** Tokens already used, kept until they would be refused as too old anyway. */
export interface UsedTokenStore {
  has(sig: string): boolean;
  /** Resolves once the mark is durable: a token is never honoured twice, restart or not. */
  add(sig: string, unusableAfter: number): Promise<void>;
}

export interface HttpAuthOptions {
  /** Checks the event's id and signature. */
  verify: (event: NostrEvent) => Promise<boolean>;
  /**
   * The relay's URL (relay.url, or ws://host:port when unset): `u` must name it, in its ws(s) or
   * http(s) form. The Host header is never consulted: a client chooses it.
   */
  relayUrl: () => string;
  used: UsedTokenStore;
  /** NIP-86 makes the payload tag mandatory. */
  requirePayload: boolean;
  /** Unix seconds (tests). */
  now?: () => number;
}

/** The schemes a token may use for the relay's URL: its own, or the HTTP one of the same security. */
const SAME_RELAY: Record<string, readonly string[]> = { 'ws:': ['ws:', 'http:'], 'wss:': ['wss:', 'https:'], 'http:': ['ws:', 'http:'], 'https:': ['wss:', 'https:'] };
const fail = (reason: string): HttpAuthResult => ({ ok: false, reason });

function parseEvent(text: string): NostrEvent | undefined {
  let e: Partial<Record<keyof NostrEvent, unknown>>;
  try {
    e = JSON.parse(text) as typeof e;
  } catch {
    return undefined;
  }
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return undefined;
  if (!isHex64(e.id) || !isHex64(e.pubkey) || !isHex128(e.sig)) return undefined;
  if (typeof e.kind !== 'number' || typeof e.created_at !== 'number' || !Number.isSafeInteger(e.created_at)) return undefined;
  if (typeof e.content !== 'string' || !Array.isArray(e.tags)) return undefined;
  if (!e.tags.every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string'))) return undefined;
  return { id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags as string[][], content: e.content, sig: e.sig };
}

const tagValue = (e: NostrEvent, name: string): string | undefined => e.tags.find((t) => t[0] === name)?.[1];

const trimSlash = (path: string): string => path.replace(/\/+$/, '') || '/';

/**
 * `u` must be the relay's own URL (scheme ws(s) or the matching http(s), host, port and path),
 * with the query of this request, and nothing more.
 */
function urlMatches(u: string, req: HttpAuthRequest, relayUrl: string): boolean {
  let url: URL, relay: URL;
  try {
    url = new URL(u);
    relay = new URL(relayUrl);
  } catch {
    return false;
  }
  if (!SAME_RELAY[relay.protocol]?.includes(url.protocol) || url.hash || url.username || url.password) return false;
  // Default ports compare equal across the pair (443 for wss and https, 80 for ws and http).
  const port = (x: URL) => x.port || (x.protocol === 'wss:' || x.protocol === 'https:' ? '443' : '80');
  if (url.hostname !== relay.hostname || port(url) !== port(relay)) return false;
  const path = req.path === undefined ? relay.pathname : `${relay.pathname.replace(/\/+$/, '')}${req.path}`;
  if (trimSlash(url.pathname) !== trimSlash(path)) return false;
  if (url.search !== (req.query ? `?${req.query}` : '')) return false;
  // new URL drops a lone '?'; the raw text must not carry a query the request lacks.
  if (!req.query && u.includes('?')) return false;
  return true;
}

/**
 * Server side of NIP-98: the Authorization header's event must be kind 27235, signed, recent,
 * name this relay's URL and the method (and the body's hash when required), and never have been
 * used before (replay protection that outlives a restart, through `used`).
 */
export class HttpAuth {
  /** Signatures being marked used: seen here before their mark is durable. */
  private readonly marking = new Set<string>();

  constructor(private readonly options: HttpAuthOptions) {}

  private usedBefore(sig: string): boolean {
    return this.marking.has(sig) || this.options.used.has(sig);
  }

  async check(header: string | undefined, req: HttpAuthRequest): Promise<HttpAuthResult> {
    const now = this.options.now?.() ?? Math.floor(Date.now() / 1000);
    const m = header ? /^Nostr\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
    if (!m) return fail('missing "Authorization: Nostr <base64 event>" header');
    const event = parseEvent(Buffer.from(m[1]!, 'base64').toString('utf8'));
    if (!event) return fail('the Authorization header does not hold a valid Nostr event');
    if (event.kind !== HTTP_AUTH_KIND) return fail(`the auth event must be kind ${HTTP_AUTH_KIND}`);
    if (Math.abs(now - event.created_at) > HTTP_AUTH_WINDOW_SECONDS) return fail('the auth event is too old or too far in the future');
    const u = tagValue(event, 'u');
    if (!u || !urlMatches(u, req, this.options.relayUrl())) return fail('the auth event\'s "u" tag does not name this relay\'s URL');
    if (tagValue(event, 'method')?.toUpperCase() !== req.method.toUpperCase()) return fail('the auth event\'s "method" tag does not match');
    const payload = tagValue(event, 'payload');
    if (payload !== undefined || this.options.requirePayload) {
      const hash = createHash('sha256').update(req.body).digest('hex');
      if (payload?.toLowerCase() !== hash) return fail('the auth event\'s "payload" tag is missing or is not the sha256 of the body');
    }
    // Keyed by signature: BIP-340 signatures cannot be altered by a third party, while a client
    // re-signing the same call in the same second (same id) is not a replay.
    if (this.usedBefore(event.sig)) return fail('the auth event was already used');
    if (!(await this.options.verify(event))) return fail('the auth event has a bad id or signature');
    // Marked only once verified (a forged copy must not burn the real token), and durably before
    // the call runs: a crash after the call cannot make the token good again.
    if (this.usedBefore(event.sig)) return fail('the auth event was already used');
    this.marking.add(event.sig);
    try {
      await this.options.used.add(event.sig, event.created_at + HTTP_AUTH_WINDOW_SECONDS);
    } finally {
      this.marking.delete(event.sig);
    }
    return { ok: true, pubkey: event.pubkey, event };
  }
}
