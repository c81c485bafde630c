import { KIND_DATA_CONSENT, KIND_DATASET_MANIFEST } from '../../relay/nostr/kinds.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, fetchEvents, now, publish, RawClient, Relay } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { expect } from 'vitest';

/** A consent event (docs/consent.md) with these uses, e.g. { 'train-ai': 'y' }. */
export function consent(author: Author, uses: Record<string, 'y' | 'n'>, license?: string, created_at = now()): NostrEvent {
  return author.sign({
    kind: KIND_DATA_CONSENT,
    created_at,
    content: 'my data, my terms',
    tags: [...Object.entries(uses).map(([use, yn]) => ['use', use, yn]), ...(license ? [['license', license]] : [])],
  });
}

export interface Village {
  r: TestRelay;
  client: Relay;
  close(): Promise<void>;
  /** Publishes and expects OK true. */
  send(e: NostrEvent): Promise<void>;
  /** Publishes a NIP-70 protected event after authenticating as its author. */
  sendProtected(author: Author, e: NostrEvent): Promise<void>;
  /** The manifest events the relay serves. */
  manifests(): Promise<NostrEvent[]>;
}

export async function startVillage(over: Record<string, Record<string, unknown>> = {}): Promise<Village> {
  // No schedule: the tests run the rebuild when they want one.
  const r = await startTestRelay({ ...over, commons: { rebuildHours: 0, ...over.commons } });
  const client = await Relay.connect(r.url);
  return {
    r,
    client,
    async close() {
      client.close();
      await r.destroy();
    },
    async send(e) {
      expect(await publish(client, e)).toMatchObject({ ok: true });
    },
    async sendProtected(author, e) {
      const c = await RawClient.open(r.url);
      try {
        await c.req('w', { limit: 0 });
        const auth = author.sign({ kind: 22242, tags: [['relay', r.url], ['challenge', c.challenge!]] });
        c.send(['AUTH', auth]);
        expect((await c.next((f) => f[0] === 'OK' && f[1] === auth.id))[2]).toBe(true);
        expect(await c.publish(e)).toEqual([true, '']);
      } finally {
        c.close();
      }
    },
    async manifests() {
      return (await fetchEvents(client, [{ kinds: [KIND_DATASET_MANIFEST], limit: 100 }])).events;
    },
  };
}

export const tag = (e: NostrEvent, name: string): string | undefined => e.tags.find((t) => t[0] === name)?.[1];
