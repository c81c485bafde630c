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
  /** Path as requested, without the query. */
  path: string;
  /** Query string without '?', or ''. */
  query: string;
  /** Host header, if any. */
  host?: string;
  body: Buffer;
}

export type HttpAuthResult = { ok: true; pubkey: string; event: NostrEvent } | { ok: false; reason: string };

export interface HttpAuthOptions {
  /** Checks the event's id and signature. */
  verify: (event: NostrEvent) => Promise<boolean>;
  /** The relay's public URL (relay.url); its host is accepted in `u` besides the Host header. */
  publicUrl: () => string;
  /** NIP-86 makes the payload tag mandatory. */
  requirePayload: boolean;
  /** Unix seconds (tests). */
  now?: () => number;
}

const WEB_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);
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

/** Same host (with port), read with the scheme of `u` so default ports compare equal. */
function sameHost(u: URL, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(`${u.protocol}//${host}`).host === u.host;
  } catch {
    return false;
  }
}

/**
 * `u` must name this request exactly: path and query as requested, the host the client used
 * (Host header) or the relay's public host, in the http(s) form or the ws(s) form of the relay URL.
 */
function urlMatches(u: string, req: HttpAuthRequest, publicUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  if (!WEB_SCHEMES.has(url.protocol) || url.hash || url.username || url.password) return false;
  if (url.pathname !== (req.path || '/')) return false;
  if (url.search !== (req.query ? `?${req.query}` : '')) return false;
  // new URL drops a lone '?'; the raw text must not carry a query the request lacks.
  if (!req.query && u.includes('?')) return false;
  if (sameHost(url, req.host)) return true;
  if (!publicUrl) return false;
  try {
    return new URL(publicUrl).host === url.host;
  } catch {
    return false;
  }
}

/**
 * Server side of NIP-98: the Authorization header's event must be kind 27235, signed, recent,
 * name this URL and method (and the body's hash when required), and not seen before within the
 * window (replay protection).
 */
export class HttpAuth {
  /** Signatures of accepted events → unix seconds after which they can no longer be replayed anyway. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: HttpAuthOptions) {}

  async check(header: string | undefined, req: HttpAuthRequest): Promise<HttpAuthResult> {
    const now = this.options.now?.() ?? Math.floor(Date.now() / 1000);
    const m = header ? /^Nostr\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
    if (!m) return fail('missing "Authorization: Nostr <base64 event>" header');
    const event = parseEvent(Buffer.from(m[1]!, 'base64').toString('utf8'));
    if (!event) return fail('the Authorization header does not hold a valid Nostr event');
    if (event.kind !== HTTP_AUTH_KIND) return fail(`the auth event must be kind ${HTTP_AUTH_KIND}`);
    if (Math.abs(now - event.created_at) > HTTP_AUTH_WINDOW_SECONDS) return fail('the auth event is too old or too far in the future');
    const u = tagValue(event, 'u');
    if (!u || !urlMatches(u, req, this.options.publicUrl())) return fail('the auth event\'s "u" tag does not match this URL');
    if (tagValue(event, 'method')?.toUpperCase() !== req.method.toUpperCase()) return fail('the auth event\'s "method" tag does not match');
    const payload = tagValue(event, 'payload');
    if (payload !== undefined || this.options.requirePayload) {
      const hash = createHash('sha256').update(req.body).digest('hex');
      if (payload?.toLowerCase() !== hash) return fail('the auth event\'s "payload" tag is missing or is not the sha256 of the body');
    }
    // Keyed by signature: BIP-340 signatures cannot be altered by a third party, while a client
    // re-signing the same call in the same second (same id) is not a replay.
    if (this.seen.has(event.sig)) return fail('the auth event was already used');
    if (!(await this.options.verify(event))) return fail('the auth event has a bad id or signature');
    // Marked only once verified: a forged copy must not burn the real token.
    if (this.seen.has(event.sig)) return fail('the auth event was already used');
    this.remember(event.sig, now);
    return { ok: true, pubkey: event.pubkey, event };
  }

  private remember(sig: string, now: number): void {
    // Entries are added in arrival order, so expired ones are at the front.
    for (const [k, until] of this.seen) {
      if (until >= now) break;
      this.seen.delete(k);
    }
    this.seen.set(sig, now + 2 * HTTP_AUTH_WINDOW_SECONDS);
  }
}
