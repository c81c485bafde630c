import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { RawClient } from '../helpers/client.ts';
import { fakeEvent, storeAll } from '../sync/helpers.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/** An ids filter names its own answer: it is served in full up to the id cap, whatever the default limit. */
describe('REQ by ids', () => {
  let relay: TestRelay;
  let events: NostrEvent[];
  let c: RawClient;

  beforeAll(async () => {
    // A read policy capping limits to 100: ids filters are still answered in full.
    relay = await startTestRelay({
      limits: { defaultLimit: 500, maxLimit: 5000, maxFilterValues: 1000 },
      policies: { connection: [], write: [], read: [{ use: 'filterLimits', options: { maxLimit: 100 } }] },
    });
    const t = Math.floor(Date.now() / 1000);
    events = Array.from({ length: 700 }, (_, i) => fakeEvent(t - i));
    await storeAll(relay.relay.store, events);
    c = await RawClient.open(relay.url);
  });
  afterAll(async () => {
    c?.close();
    await relay?.destroy();
  });

  it('answers 589 ids without a limit with all 589 events before EOSE', async () => {
    const wanted = events.slice(50, 639);
    const { events: got, closed } = await c.req('ids589', { ids: wanted.map((e) => e.id) });
    expect(closed).toBeUndefined();
    expect(got.map((e) => e.id).sort()).toEqual(wanted.map((e) => e.id).sort());
  });

  it('still honours an explicit limit on an ids filter', async () => {
    const wanted = events.slice(0, 30);
    const { events: got } = await c.req('ids-limit', { ids: wanted.map((e) => e.id), limit: 7 });
    // newest first: the first seven of the list (created_at descends with the index)
    expect(got.map((e) => e.id)).toEqual(wanted.slice(0, 7).map((e) => e.id));
  });

  it('keeps the read policy cap for filters without ids', async () => {
    const { events: got } = await c.req('kinds', { kinds: [1] });
    expect(got).toHaveLength(100);
  });

  it('refuses more ids than maxFilterValues with an invalid: CLOSED', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => i.toString(16).padStart(64, '0'));
    const { closed } = await c.req('too-many', { ids });
    expect(closed).toMatch(/^invalid: too many values in ids/);
  });
});
