import { Author, RawClient, now } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

export type Overrides = Record<string, Record<string, unknown>>;

/** A real relay with its DVMs on (built-in embedder in process). */
export function startDvmRelay(overrides: Overrides = {}): Promise<TestRelay> {
  return startTestRelay({ ...overrides, dvms: { enabled: true, ...overrides.dvms } });
}

export function dvmPubkey(relay: TestRelay, id: string): string {
  const d = relay.dvms?.dvms.find((x) => x.id === id);
  if (!d) throw new Error(`no DVM ${id}`);
  return d.pubkey;
}

export interface JobAnswer {
  feedback: NostrEvent[];
  result?: NostrEvent;
  error?: NostrEvent;
}

/**
 * Publishes a job request the way a client does (subscribe to 6xxx/7000 #e first, then EVENT)
 * and waits for the result or an error feedback.
 */
export async function runJob(client: RawClient, request: NostrEvent, ms = 8000): Promise<JobAnswer> {
  const sub = `job-${request.id.slice(0, 8)}`;
  client.send(['REQ', sub, { kinds: [request.kind + 1000, 7000], '#e': [request.id] }]);
  await client.next((f) => f[0] === 'EOSE' && f[1] === sub);
  const [ok, msg] = await client.publish(request);
  if (!ok) throw new Error(`request refused: ${msg}`);
  const answer: JobAnswer = { feedback: [] };
  for (;;) {
    const f = await client.next((f) => f[0] === 'EVENT' && f[1] === sub, ms);
    const e = f[2] as NostrEvent;
    if (e.kind === 7000) {
      answer.feedback.push(e);
      if (e.tags.some((t) => t[0] === 'status' && t[1] === 'error')) {
        answer.error = e;
        break;
      }
    } else {
      answer.result = e;
      break;
    }
  }
  client.send(['CLOSE', sub]);
  return answer;
}

/** Amethyst's 5300 request (quartz NIP90ContentDiscoveryRequestEvent). */
export function amethystRequest(user: Author, dvm: string, relayUrl: string, extra: string[][] = []): NostrEvent {
  return user.sign({
    kind: 5300,
    content: '',
    tags: [
      ['alt', 'NIP90 Content Discovery request'],
      ['p', dvm],
      ['relays', relayUrl],
      ['param', 'max_results', '200'],
      ['param', 'user', user.pubkey],
      ...extra,
    ],
  });
}

/** noStrudel's request: `relays`, `p`, optional `i` of the previous request for the next page, an expiration. */
export function nostrudelRequest(user: Author, dvm: string, relayUrl: string, previous?: string, extra: string[][] = []): NostrEvent {
  return user.sign({
    kind: 5300,
    content: '',
    tags: [
      ...(previous ? [['i', previous, 'event']] : []),
      ['relays', relayUrl],
      ['p', dvm],
      ['expiration', String(now() + 3600)],
      ...extra,
    ],
  });
}

/** What Amethyst does with a 6300: parse the content and keep only `e` entries. */
export function amethystParse(content: string): string[] {
  try {
    const list = JSON.parse(content) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((t): t is string[] => Array.isArray(t) && t[0] === 'e' && typeof t[1] === 'string').map((t) => t[1]!);
  } catch {
    return [];
  }
}

export function items(result: NostrEvent): string[][] {
  return JSON.parse(result.content) as string[][];
}

export function status(e: NostrEvent): string[] {
  return e.tags.find((t) => t[0] === 'status') ?? [];
}

export { Author, RawClient, now };
