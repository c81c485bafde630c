import { finalizeEvent, type EventTemplate } from 'nostr-tools';
import { afterEach, expect } from 'vitest';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, fetchEvents, publish, Relay, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';

/** A nostr-tools template (nip29 / nip54 helpers) signed by this author, as plain wire JSON. */
export const signed = (author: Author, t: EventTemplate): NostrEvent => JSON.parse(JSON.stringify(finalizeEvent(t, author.sk))) as NostrEvent;

/** A relay that hosts groups, with `admin` allowed to create them (groups.creators = "admins"). */
export async function startGroupsRelay(admin: Author, over: Record<string, Record<string, unknown>> = {}): Promise<TestRelay> {
  return startTestRelay({ ...over, relay: { admins: [admin.pubkey], ...over.relay }, commons: { rebuildHours: 0, ...over.commons } });
}

/** A nostr-tools client for this author, authenticated (NIP-42) when asked. */
export async function clientOf(r: TestRelay, author?: Author): Promise<Relay> {
  const c = await Relay.connect(r.url);
  if (author) {
    await until(() => (c as unknown as { challenge?: string }).challenge !== undefined);
    await c.auth(async (t) => finalizeEvent(t, author.sk));
  }
  return c;
}

/** Publishes and returns what OK said. */
export const send = (c: Relay, e: NostrEvent) => publish(c, e);

export async function accepted(c: Relay, e: NostrEvent): Promise<void> {
  expect(await publish(c, e)).toEqual({ ok: true, message: '' });
}

/** The relay's current state event of this kind for a group, once published. */
export async function stateOf(c: Relay, kind: number, group: string, check: (e: NostrEvent) => boolean = () => true): Promise<NostrEvent> {
  let found: NostrEvent | undefined;
  await until(async () => {
    found = (await fetchEvents(c, [{ kinds: [kind], '#d': [group] }])).events[0];
    return found !== undefined && check(found);
  });
  return found!;
}

export const tagsOf = (e: NostrEvent, name: string): string[][] => e.tags.filter((t) => t[0] === name);

/** One relay and one client per test, stopped and deleted after it. */
export function relayPerTest(): { r?: TestRelay; c?: Relay } {
  const s: { r?: TestRelay; c?: Relay } = {};
  afterEach(async () => {
    s.c?.close();
    await s.r?.destroy();
    s.r = undefined;
    s.c = undefined;
  });
  return s;
}
