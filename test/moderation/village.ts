import { finalizeEvent } from 'nostr-tools';
import { unwrapEvent } from 'nostr-tools/nip17';
import { Author, fetchEvents, now, publish, Relay, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { HamletPolicyEngine } from '../../policies/index.ts';
import { VillageModeration } from '../../moderation/index.ts';

/**
 * A village for moderation tests: a root member who follows circles of friends (each circle
 * follows itself; two by default), so members are within two hops and the follow graph has two communities.
 */
export interface TestVillage {
  r: TestRelay;
  client: Relay;
  root: Author;
  circles: Author[][];
  /** Every member but the root. */
  members: Author[];
  byPubkey: Map<string, Author>;
  close(): Promise<void>;
}

export async function startVillage(overrides: Record<string, Record<string, unknown>> = {}, circleSize = 5, circleCount = 2): Promise<TestVillage> {
  const root = new Author();
  const circles = Array.from({ length: circleCount }, () => Array.from({ length: circleSize }, () => new Author()));
  const members = circles.flat();
  const r = await startTestRelay({ ...overrides, policies: { members: [root.pubkey], ...overrides.policies } });
  const client = await Relay.connect(r.url);
  const follow = (who: Author, whom: Author[], at = now()) => who.sign({ kind: 3, content: '', tags: whom.map((w) => ['p', w.pubkey]), created_at: at });
  await publish(client, follow(root, members));
  for (const circle of circles) for (const m of circle) await publish(client, follow(m, circle.filter((x) => x !== m)));
  const byPubkey = new Map([root, ...members].map((a) => [a.pubkey, a]));
  return {
    r,
    client,
    root,
    circles,
    members,
    byPubkey,
    async close() {
      client.close();
      await r.destroy();
    },
  };
}

export const report = (reporter: Author, target: NostrEvent, type = 'spam', note = ''): NostrEvent =>
  reporter.sign({ kind: 1984, content: note, tags: [['e', target.id, type], ['p', target.pubkey]] });

/** Labels the moderation key published about an event, newest first. */
export async function labelsAbout(v: TestVillage, id: string): Promise<NostrEvent[]> {
  return (await fetchEvents(v.client, [{ kinds: [1985], authors: [v.r.moderation!.key.pubkey], '#e': [id] }])).events;
}

/** The value of a label event in a namespace. */
export const labelValue = (label: NostrEvent, namespace: string): string | undefined => label.tags.find((t) => t[0] === 'l' && t[2] === namespace)?.[1];

/** NIP-17 messages to `who`, read as `who` after NIP-42 AUTH (gift wraps reach only their recipient). */
export async function inbox(v: TestVillage, who: Author): Promise<{ from: string; text: string }[]> {
  const c = await Relay.connect(v.r.url);
  try {
    await until(() => Boolean((c as unknown as { challenge?: string }).challenge));
    await c.auth(async (t) => finalizeEvent(t, who.sk));
    const { events } = await fetchEvents(c, [{ kinds: [1059], '#p': [who.pubkey] }]);
    return events.map((w) => unwrapEvent(w as never, who.sk)).map((m) => ({ from: m.pubkey, text: m.content }));
  } finally {
    c.close();
  }
}

/** Whether a plain reader gets the event. */
export async function visible(v: TestVillage, id: string): Promise<boolean> {
  return (await fetchEvents(v.client, [{ ids: [id] }])).events.length === 1;
}

/** A second moderation over the same data, as `hamlet moderation decide` opens one, with its own clock. */
export function moderationAt(v: TestVillage, clock: () => number): VillageModeration {
  const engine = v.r.relay.policies as unknown as HamletPolicyEngine;
  return new VillageModeration({
    services: v.r.services,
    relayUrl: () => v.r.url,
    rules: () => engine.rulebook().rules,
    hide: (id) => v.r.relay.store.hide(id),
    moderator: engine.moderator,
    decisions: engine.decisions,
    now: clock,
  });
}
