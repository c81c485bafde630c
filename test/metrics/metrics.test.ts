import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Author, publish, RawClient, Relay, fetchEvents } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { countDvmJob, registry, timeInference } from '../../relay/metrics/registry.ts';
import { timedClassifier } from '../../relay/metrics/timed.ts';

type Samples = Map<string, number>;

/** Prometheus text → `name{labels}` → value (labels exactly as prom-client renders them). */
function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe.each(['uws', 'ws'] as const)('GET /metrics over %s', (transport) => {
  let t: TestRelay;
  let http: string;
  const scrape = async (): Promise<{ samples: Samples; type: string | null }> => {
    const res = await fetch(`${http}/metrics`);
    expect(res.status).toBe(200);
    return { samples: parse(await res.text()), type: res.headers.get('content-type') };
  };

  beforeAll(async () => {
    t = await startTestRelay({
      relay: { transport },
      policies: { connection: [], read: [], write: [{ use: 'kinds', options: { deny: [4242] } }] },
    });
    http = t.url.replace(/^ws/, 'http');
  });
  afterAll(() => t.destroy());

  it('moves the counters with real traffic', async () => {
    const before = (await scrape()).samples;
    const delta = (after: Samples, key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

    const client = await Relay.connect(t.url);
    const author = new Author();
    const notes = [1, 2, 3].map((i) => author.sign({ content: `metrics note ${i}` }));
    for (const e of notes) expect((await publish(client, e)).ok).toBe(true);
    expect((await publish(client, author.sign({ kind: 7, content: '+' }))).ok).toBe(true);
    expect((await publish(client, notes[0]!)).message).toMatch(/^duplicate:/);
    expect((await publish(client, author.sign({ kind: 4242, content: 'refused kind' }))).ok).toBe(false);
    expect((await publish(client, { ...author.sign({ content: 'tampered' }), content: 'changed' })).ok).toBe(false);
    expect((await fetchEvents(client, [{ authors: [author.pubkey] }])).events).toHaveLength(4);
    const raw = await RawClient.open(t.url);
    raw.send(['COUNT', 'c1', { authors: [author.pubkey] }]);
    await raw.next((f) => f[0] === 'COUNT');
    raw.send(['HELLO']);
    await raw.next((f) => f[0] === 'NOTICE');

    countDvmJob(5300, 'success', 0.12);
    timeInference('test-model', 'embed')();

    const { samples: after, type } = await scrape();
    expect(type).toMatch(/^text\/plain/);
    expect(delta(after, 'nostr_client_messages_total{verb="EVENT"}')).toBe(7);
    expect(delta(after, 'nostr_client_messages_total{verb="REQ"}')).toBe(1);
    expect(delta(after, 'nostr_client_messages_total{verb="CLOSE"}')).toBe(1);
    expect(delta(after, 'nostr_client_messages_total{verb="COUNT"}')).toBe(1);
    expect(delta(after, 'nostr_client_messages_total{verb="other"}')).toBe(1);
    expect(delta(after, 'nostr_relay_messages_total{verb="OK"}')).toBe(7);
    expect(delta(after, 'nostr_relay_messages_total{verb="EVENT"}')).toBe(4);
    expect(delta(after, 'nostr_relay_messages_total{verb="EOSE"}')).toBe(1);
    expect(delta(after, 'nostr_relay_messages_total{verb="COUNT"}')).toBe(1);
    expect(delta(after, 'nostr_relay_messages_total{verb="NOTICE"}')).toBe(1);
    expect(delta(after, 'nostr_relay_messages_total{verb="AUTH"}')).toBe(2);
    expect(delta(after, 'nostr_events_total{kind="1"}')).toBe(3);
    expect(delta(after, 'nostr_events_total{kind="7"}')).toBe(1);
    expect(delta(after, 'strfry_write_events_total')).toBe(4);
    expect(delta(after, 'strfry_write_dups_total')).toBe(1);
    expect(delta(after, 'strfry_write_rejected_total')).toBe(2);
    expect(delta(after, 'hamlet_events_rejected_total{prefix="blocked"}')).toBe(1);
    expect(delta(after, 'hamlet_events_rejected_total{prefix="invalid"}')).toBe(1);
    expect(delta(after, 'hamlet_policy_decisions_total{stage="write",policy="kinds",rule="kinds",action="reject"}')).toBe(1);
    expect(delta(after, 'strfry_write_time_microseconds_total')).toBeGreaterThan(0);
    expect(delta(after, 'hamlet_write_batch_events_count')).toBeGreaterThanOrEqual(1);
    expect(after.get('strfry_write_batch_size')).toBeGreaterThanOrEqual(1);
    expect(after.get('strfry_connections_current')).toBeGreaterThanOrEqual(2);
    expect(delta(after, 'hamlet_dvm_jobs_total{kind="5300",outcome="success"}')).toBe(1);
    expect(delta(after, 'hamlet_dvm_job_seconds_count{kind="5300"}')).toBe(1);
    expect(delta(after, 'hamlet_model_inference_seconds_count{model="test-model",task="embed"}')).toBe(1);
    expect(after.has('process_cpu_user_seconds_total')).toBe(true);

    const open = after.get('strfry_connections_current')!;
    client.close();
    raw.ws.close();
    for (let i = 0; i < 200 && ((await scrape()).samples.get('strfry_connections_current') ?? 0) > open - 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await scrape()).samples.get('strfry_connections_current')).toBe(open - 2);
  });
});

describe('private kinds in /metrics', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({ policies: { connection: [], read: [], write: [] } });
  });
  afterAll(() => t.destroy());
  const get = () => fetch(`http://127.0.0.1:${t.port}/metrics`);

  it('counts no private kind: neither per kind nor in the total', async () => {
    const scrape = async () => parse(await (await get()).text());
    const before = await scrape();
    const client = await Relay.connect(t.url);
    const author = new Author();
    const bob = new Author();
    for (const kind of [4, 13, 14, 1059]) {
      expect((await publish(client, author.sign({ kind, content: 'private', tags: kind === 13 ? [] : [['p', bob.pubkey]] }))).ok, String(kind)).toBe(true);
    }
    expect((await publish(client, author.sign({ content: 'public' }))).ok).toBe(true);
    client.close();
    const after = await scrape();
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    for (const kind of [4, 13, 14, 1059]) expect(after.has(`nostr_events_total{kind="${kind}"}`), String(kind)).toBe(false);
    expect(delta('nostr_events_total{kind="1"}')).toBe(1);
    expect(delta('strfry_write_events_total')).toBe(1);
  });
});

describe('timedClassifier', () => {
  it('times each classify() call and leaves the rest of the classifier as it was', async () => {
    class Lexicon {
      #calls = 0;
      readonly info = { id: 'lexicon-test', version: '1' };
      async classify(texts: readonly string[]) {
        this.#calls++;
        return texts.map(() => ({ toxic: 0.1 }));
      }
      get calls() {
        return this.#calls;
      }
    }
    const inner = new Lexicon();
    const timed = timedClassifier(inner);
    const key = 'hamlet_model_inference_seconds_count{model="lexicon-test",task="classify"}';
    const count = async () => parse(await registry.metrics()).get(key) ?? 0;
    const before = await count();
    expect(await timed.classify(['a', 'b'])).toEqual([{ toxic: 0.1 }, { toxic: 0.1 }]);
    expect(timed.info).toEqual({ id: 'lexicon-test', version: '1' });
    expect(timed.calls).toBe(1);
    expect((await count()) - before).toBe(1);
  });
});
