import type { NostrEvent } from '../../relay/nostr/types.ts';
import { decryptFrom, schemeOf } from './crypto.ts';
import { JobError, type JobInput, type JobRequest, type JobSource } from '../types.ts';

const INPUT_TYPES = new Set(['text', 'event', 'job', 'url']);

/** The `p` tags of a request: the service providers it is addressed to (empty: anyone). */
export function addressees(event: NostrEvent): string[] {
  return event.tags.filter((t) => t[0] === 'p' && typeof t[1] === 'string').map((t) => t[1]!);
}

export function isEncrypted(event: NostrEvent): boolean {
  return event.tags.some((t) => t[0] === 'encrypted');
}

/** Unix seconds of a NIP-40 `expiration` tag, if any. */
export function expiresAt(event: NostrEvent): number | undefined {
  const v = event.tags.find((t) => t[0] === 'expiration')?.[1];
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Parses a job request into inputs and params; an encrypted one is decrypted first with the
 * DVM's key (its `i`/`param` tags live in the content). Throws JobError on input a customer
 * should hear about (bad input type, undecryptable content).
 */
export function parseRequest(event: NostrEvent, source: JobSource, sk?: Uint8Array): JobRequest {
  let tags = event.tags;
  let encrypted: JobRequest['encrypted'];
  if (isEncrypted(event)) {
    if (!sk) throw new JobError('encrypted request without a key to read it');
    encrypted = schemeOf(event.content);
    let plain: string;
    try {
      plain = decryptFrom(encrypted, sk, event.pubkey, event.content);
    } catch {
      throw new JobError(`cannot decrypt the request (${encrypted})`);
    }
    let inner: unknown;
    try {
      inner = JSON.parse(plain);
    } catch {
      throw new JobError('encrypted content is not a JSON array of tags');
    }
    if (!Array.isArray(inner) || !inner.every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string'))) {
      throw new JobError('encrypted content is not a JSON array of tags');
    }
    // clear tags (p, relays, encrypted) plus the hidden ones
    tags = [...event.tags, ...(inner as string[][])];
  }
  const inputs: JobInput[] = [];
  const params = new Map<string, string[][]>();
  const relays: string[] = [];
  let output: string | undefined;
  for (const t of tags) {
    switch (t[0]) {
      case 'i': {
        const [, value, type = 'text', relay, marker] = t;
        if (value === undefined) throw new JobError('an "i" tag has no value');
        if (!INPUT_TYPES.has(type)) throw new JobError(`unsupported input type "${type}" (text, event, job or url)`);
        inputs.push({ value, type, relay: relay || undefined, marker: marker || undefined });
        break;
      }
      case 'param': {
        const key = t[1];
        if (!key) break;
        const list = params.get(key) ?? [];
        list.push(t.slice(2));
        params.set(key, list);
        break;
      }
      case 'relays':
        for (const url of t.slice(1)) if (/^wss?:\/\//.test(url) && !relays.includes(url)) relays.push(url);
        break;
      case 'output':
        output = t[1];
        break;
    }
  }
  return { event, kind: event.kind, customer: event.pubkey, inputs, params, relays, output, encrypted, source };
}
