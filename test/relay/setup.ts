import { afterEach } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { RawClient, Relay } from '../helpers/client.ts';

/**
 * A relay without moderation policies (the protocol itself is under test), with clients and
 * relays torn down after each test.
 */
export function protocolHarness() {
  const relays: TestRelay[] = [];
  const closers: (() => void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) c();
    for (const r of relays.splice(0)) await r.destroy();
  });
  return {
    async relay(overrides: Record<string, Record<string, unknown>> = {}): Promise<TestRelay> {
      const r = await startTestRelay(overrides, { policies: async () => acceptAll });
      relays.push(r);
      return r;
    },
    async raw(r: TestRelay): Promise<RawClient> {
      const c = await RawClient.open(r.url);
      closers.push(() => c.close());
      return c;
    },
    async client(r: TestRelay): Promise<Relay> {
      const c = await Relay.connect(r.url);
      closers.push(() => c.close());
      return c;
    },
  };
}
