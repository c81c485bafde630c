/// <reference lib="dom" />
import { sign } from './signer.ts';

const HTTP_AUTH_KIND = 27235;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** An API refusal with the server's message (`restricted: ...`, `invalid: ...`). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A NIP-98 signed fetch: the URL, the method and (for a POST) the body's hash. */
async function signedFetch(url: URL, body: string | undefined, contentType: string): Promise<Response> {
  const method = body === undefined ? 'GET' : 'POST';
  const tags = [['u', url.href], ['method', method]];
  if (body !== undefined) tags.push(['payload', await sha256Hex(body)]);
  const token = await sign(HTTP_AUTH_KIND, '', tags);
  return fetch(url, {
    method,
    headers: { Authorization: `Nostr ${base64(JSON.stringify(token))}`, ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
}

/** A call to the relay's pages API. */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await signedFetch(new URL(`api/${path}`, location.href), body === undefined ? undefined : JSON.stringify(body), 'application/json');
  const answer = (await res.json().catch(() => ({ error: `error: HTTP ${res.status}` }))) as T & { error?: string };
  if (!res.ok) throw new ApiFailure(res.status, answer.error ?? `error: HTTP ${res.status}`);
  return answer;
}

/** A NIP-86 management call on the relay's own URL (admins only). */
export async function nip86<T>(method: string, params: unknown[] = []): Promise<T> {
  const res = await signedFetch(new URL('/', location.href), JSON.stringify({ method, params }), 'application/nostr+json+rpc');
  const answer = (await res.json().catch(() => ({ error: `error: HTTP ${res.status}` }))) as { result?: T; error?: string };
  if (!res.ok || answer.error) throw new ApiFailure(res.status, answer.error ?? `error: HTTP ${res.status}`);
  return answer.result as T;
}
