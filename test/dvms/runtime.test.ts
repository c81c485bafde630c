import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { until } from '../helpers/client.ts';
import type { DvmSpec } from '../../dvms/index.ts';
import { Author, RawClient, status } from './helpers.ts';

/**
 * The runtime with another job kind plugged in (as the tagging DVM will be): a test DVM of
 * kind 5999 whose handler waits until the test lets it go, so cancellation is not a race.
 */
const gates = new Map<string, { release: () => void; released: Promise<void>; sawCancel?: boolean }>();
function gate(id: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const g = { release, released, sawCancel: undefined as boolean | undefined };
  gates.set(id, g);
  return g;
}

const echo: DvmSpec = {
  id: 'echo',
  kind: 5999,
  name: 'Echo (test)',
  about: 'Echoes its text input back once the test releases it.',
  personalized: false,
  params: { shout: { required: false, type: 'boolean', description: 'Upper-case the echo.' } },
  takesUnaddressed: true,
  async handle(job, ctx) {
    const g = gates.get(job.inputs[0]?.value ?? '');
    if (g) {
      await g.released;
      g.sawCancel = ctx.cancelled();
    }
    const text = job.inputs.map((i) => i.value).join(' ');
    return { content: job.params.get('shout')?.[0]?.[0] === 'true' ? text.toUpperCase() : text };
  },
};

let relay: TestRelay;
let client: RawClient;
const alice = new Author();

beforeAll(async () => {
  relay = await startTestRelay({}, { dvms: { extra: () => [echo] } });
  client = await RawClient.open(relay.url);
});

afterAll(async () => {
  client.close();
  await relay.destroy();
});

async function feedbackFor(id: string, sub: string) {
  return (await client.req(sub, { kinds: [7000, 6999], '#e': [id] })).events;
}

describe('job runtime', () => {
  it('runs another job kind beside the feeds: 6999 result, announced with k 5999', async () => {
    const req = alice.sign({ kind: 5999, tags: [['i', 'hello', 'text'], ['param', 'shout', 'true']] });
    client.send(['REQ', 's', { kinds: [6999], '#e': [req.id] }]);
    await client.publish(req);
    const f = await client.next((f) => f[0] === 'EVENT' && f[1] === 's');
    expect((f[2] as { content: string }).content).toBe('HELLO');
    const ann = await client.req('a', { kinds: [31990], '#k': ['5999'] });
    expect(ann.events).toHaveLength(1);
    expect(JSON.parse(ann.events[0]!.content).nip90Params.shout.type).toBe('boolean');
  });

  it('stops on a kind 5 from the customer: no result after it', async () => {
    const g = gate('slow');
    const req = alice.sign({ kind: 5999, tags: [['i', 'slow', 'text']] });
    await client.publish(req);
    await until(async () => (await feedbackFor(req.id, 'p1')).some((e) => status(e)[1] === 'processing'));
    const [ok] = await client.publish(alice.sign({ kind: 5, tags: [['e', req.id], ['k', '5999']] }));
    expect(ok).toBe(true);
    g.release();
    await until(() => g.sawCancel !== undefined);
    expect(g.sawCancel).toBe(true);
    // the job is recorded as cancelled once the handler returns; then nothing more may appear
    await until(async () => {
      const again = alice.sign({ kind: 5999, tags: [['i', 'probe', 'text']] });
      await client.publish(again);
      return (await client.req('pr', { kinds: [6999], '#e': [again.id] })).events.length > 0;
    });
    expect((await feedbackFor(req.id, 'p2')).filter((e) => e.kind === 6999)).toHaveLength(0);
  });

  it('ignores a kind 5 from someone else', async () => {
    const g = gate('other');
    const req = alice.sign({ kind: 5999, tags: [['i', 'other', 'text']] });
    await client.publish(req);
    await until(async () => (await feedbackFor(req.id, 'o1')).some((e) => status(e)[1] === 'processing'));
    await client.publish(new Author().sign({ kind: 5, tags: [['e', req.id]] }));
    g.release();
    await until(async () => (await feedbackFor(req.id, 'o2')).some((e) => e.kind === 6999));
    expect(g.sawCancel).toBe(false);
  });
});
