import { createHash } from 'node:crypto';
import { finalizeEvent, nip98 } from 'nostr-tools';
import type { Author } from '../helpers/client.ts';
import { now } from '../helpers/client.ts';

export interface RpcReply {
  status: number;
  body: { result?: unknown; error?: string };
}

/** The http:// form of a test relay's ws:// URL, with the trailing slash a browser would send. */
export const httpUrl = (wsUrl: string): string => `${wsUrl.replace(/^ws/, 'http')}/`;

/** A NIP-86 call as a real client makes it: nostr-tools' NIP-98 token with the payload hash. */
export async function rpc(url: string, signer: Author, method: string, params: unknown[] = []): Promise<RpcReply> {
  const call = { method, params };
  const auth = await nip98.getToken(url, 'POST', (e) => finalizeEvent(e, signer.sk), true, call);
  return post(url, JSON.stringify(call), auth);
}

export async function post(url: string, body: string, authorization?: string, contentType = 'application/nostr+json+rpc'): Promise<RpcReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(authorization ? { Authorization: authorization } : {}) },
    body,
  });
  const text = await res.text();
  let parsed: RpcReply['body'];
  try {
    parsed = JSON.parse(text) as RpcReply['body'];
  } catch {
    parsed = { error: text };
  }
  return { status: res.status, body: parsed };
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A hand-built NIP-98 header, for the refusals nostr-tools would never produce. */
export function authHeader(
  signer: Author,
  o: { u: string; method?: string; payload?: string | null; created_at?: number; kind?: number; mangle?: (e: Record<string, unknown>) => void },
): string {
  const tags = [['u', o.u], ['method', o.method ?? 'POST']];
  if (o.payload !== null && o.payload !== undefined) tags.push(['payload', o.payload]);
  const e = finalizeEvent({ kind: o.kind ?? 27235, created_at: o.created_at ?? now(), tags, content: '' }, signer.sk) as unknown as Record<string, unknown>;
  o.mangle?.(e);
  return `Nostr ${Buffer.from(JSON.stringify(e)).toString('base64')}`;
}
