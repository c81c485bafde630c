import { rmSync } from 'node:fs';
import { buildConfig } from '../../config/load.ts';
import { openStore } from '../../relay/core.ts';
import type { Signer } from '../bench/util/sign.ts';
import { EvalClient } from './client.ts';
import { FEED_KIND, JobTally, findDvms, jobRequest } from './jobs.ts';
import { percentile } from './metrics.ts';
import { evalSettings, startEvalRelay } from './relay.ts';
import { parseEvent, villageEvents } from './village/events.ts';
import { generateVillage, type VillageOptions } from './village/generator.ts';

export interface LatencyResult {
  storedEvents: number;
  requests: number;
  /** The first request after start (it waits for the signals to load), apart. */
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** A REQ that finds nothing, sent just before each request: the loopback round trip on this (shared) machine at that moment. */
  pingP50Ms: number;
  pingP99Ms: number;
  jobs: ReturnType<JobTally['summary']>;
}

/** A village of about `target` events from the same generator (events grow with the square of the members). */
function sized(base: VillageOptions, target: number): VillageOptions {
  let o = { ...base, probesPerTopic: 0 };
  for (let i = 0; i < 3; i++) {
    const v = generateVillage(o);
    const n = 2 * v.members.length + v.posts.length + v.engagements.filter((e) => e.at < 0).length;
    if (Math.abs(n - target) / target < 0.1) break;
    o = { ...o, members: Math.max(20, Math.round(o.members * Math.sqrt(target / n))) };
  }
  return o;
}

/**
 * for-you latency at `target` stored events: the village is written through the store's writer
 * before the relay starts (signed events, but not published one by one: that would measure
 * ingest), then members ask the for-you DVM over the WebSocket one after another; each figure
 * is request published → result received. The labeler is off here so its start-up backfill
 * does not share the two cores with the requests.
 */
export async function measureLatency(o: { dataDir: string; base: VillageOptions; target: number; requests: number; signer: Signer; timeoutMs: number; log: (l: string) => void }): Promise<LatencyResult> {
  const village = generateVillage(sized(o.base, o.target));
  const now = Math.floor(Date.now() / 1000);
  const events = villageEvents(village, now, o.signer);
  const dataDir = o.dataDir;
  try {
    const store = openStore(buildConfig(evalSettings(dataDir, { labeler: false })));
    for (let i = 0; i < events.before.length; i += 5000) {
      await Promise.all(events.before.slice(i, i + 5000).map((json) => store.store(parseEvent(json), json)));
    }
    await store.writer.drain();
    await store.close();
    o.log(`latency: ${events.before.length} events stored (${village.members.length} members)`);
    const relay = await startEvalRelay(dataDir, { labeler: false });
    const client = await EvalClient.open(relay.url);
    try {
      const dvm = (await findDvms(client)).get('feed-for-you')?.pubkey;
      const tally = new JobTally();
      const members = village.members.filter((m) => !m.spam);
      const ask = async (k: number) => {
        if (!dvm) return tally.add({ status: 'refused', message: 'no for-you DVM announced', ms: 0 }), NaN;
        const key = events.keys[members[k % members.length]!.index]!;
        const outcome = await client.job(jobRequest(o.signer, key, FEED_KIND, dvm, [['param', 'max_results', '50']]), o.timeoutMs);
        tally.add(outcome);
        return outcome.ms;
      };
      const firstMs = await ask(0);
      // the settled relay, as members meet it: its meaning model learnt and the window embedded with it
      await relay.meaning?.run();
      await relay.dvms?.signals?.flush();
      const times: number[] = [];
      const pings: number[] = [];
      for (let k = 1; k <= o.requests; k++) {
        const t0 = performance.now();
        await client.req({ ids: ['0'.repeat(64)] });
        pings.push(performance.now() - t0);
        times.push(await ask(k));
      }
      return {
        storedEvents: events.before.length,
        requests: o.requests,
        firstMs,
        p50Ms: percentile(times, 0.5),
        p99Ms: percentile(times, 0.99),
        maxMs: Math.max(...times),
        pingP50Ms: percentile(pings, 0.5),
        pingP99Ms: percentile(pings, 0.99),
        jobs: tally.summary(),
      };
    } finally {
      client.close();
      await relay.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

