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

/** A call to the relay's pages API, NIP-98 signed: the endpoint's URL, the method and the body's hash. */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const url = new URL(`api/${path}`, location.href);
  const method = body === undefined ? 'GET' : 'POST';
  const text = body === undefined ? '' : JSON.stringify(body);
  const tags = [['u', url.href], ['method', method]];
  if (method === 'POST') tags.push(['payload', await sha256Hex(text)]);
  const token = await sign(HTTP_AUTH_KIND, '', tags);
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Nostr ${base64(JSON.stringify(token))}`, ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: text } : {}),
  });
  const answer = (await res.json().catch(() => ({ error: `error: HTTP ${res.status}` }))) as T & { error?: string };
  if (!res.ok) throw new ApiFailure(res.status, answer.error ?? `error: HTTP ${res.status}`);
  return answer;
}
