import { closeAll, openClients, type Client } from '../loadgen.ts';
import { ensureArchiveSeeded, startArchiveTarget } from '../util/archive.ts';
import { percentile, sleep } from '../util/stats.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';
import { Negentropy, NegentropyStorageVector } from '../../../relay/sync/negentropy.ts';

/**
 * Fairness (issue 16): one connection sends expensive reads back to back while a neighbour on
 * another connection sends REQs by id; the neighbour's REQ → EOSE latency without the attacker
 * and under each attack: 20 filters on a common tag plus a tag that matches nothing, 20 search
 * filters, COUNT of the same 20 filters, COUNT {}, NEG-OPEN {}. Also how long each attack query
 * took and how it ended (CLOSED / NEG-ERR when over budget). The seeded database (archive shape,
 * 126k events; 50k with --quick) is kept in .bench/ and recognised by a marker event.
 */
/** Longest wait for one answer: the old relay took up to ~30 s for one 20-search REQ. */
const ANSWER_TIMEOUT_MS = 90_000;

const LOREM_WORDS = 'the quick brown fox jumps over the lazy dog while village relays hum along at night'.split(' ');

type Attack = (subId: string) => unknown[];

function attacks(): Record<string, Attack> {
  // The same common tag in every filter (topic0: ~17% of the events), each with a tag that
  // matches nothing; a planner that scans the common tag decodes every one of its events 20 times.
  const tagFilters = Array.from({ length: 20 }, (_, i) => ({ '#t': ['topic0'], '#q': [`nothing-${i}`] }));
  const searchFilters = Array.from({ length: 20 }, (_, i) => ({ search: `${LOREM_WORDS[i % 15]} ${LOREM_WORDS[(i % 15) + 1]}` }));
  const initial = new Negentropy(sealed(), 500_000).initiate();
  return {
    req_tags20: (id) => ['REQ', id, ...tagFilters],
    req_search20: (id) => ['REQ', id, ...searchFilters],
    count_tags20: (id) => ['COUNT', id, ...tagFilters],
    count_all: (id) => ['COUNT', id, {}],
    neg_open_all: (id) => ['NEG-OPEN', id, {}, initial],
  };
}

function sealed(): NegentropyStorageVector {
  const s = new NegentropyStorageVector();
  s.seal();
  return s;
}

export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const size = opts.quick ? 50_000 : 126_000;
  const windowMs = opts.quick ? 6_000 : 25_000;
  const notes: string[] = [];
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const { target, dataDir } = await startArchiveTarget(opts, 'fairness', size, notes);
  const clients: Client[] = [];
  try {
    clients.push(...(await openClients(target.url, 2)));
    const [neighbour, attacker] = clients as [Client, Client];
    await ensureArchiveSeeded(opts, 'fairness', target, dataDir, size, { tag: 'hamlet-bench-fairness', key: 'fairness-marker' }, neighbour, notes);
    const ids = await someIds(neighbour, 200);
    if (ids.length === 0) throw new Error('no stored events to ask for by id');

    const record = (prefix: string, lat: number[]) => {
      for (const p of [50, 99]) {
        metrics[`${prefix}.neighbour_p${p}_ms`] = percentile(lat, p);
        units[`${prefix}.neighbour_p${p}_ms`] = 'ms';
      }
      metrics[`${prefix}.neighbour_max_ms`] = Math.max(...lat);
      units[`${prefix}.neighbour_max_ms`] = 'ms';
      metrics[`${prefix}.neighbour_samples`] = lat.length;
    };

    await neighbourLoop(neighbour, ids, 1_000); // warm-up
    const baseline = await neighbourLoop(neighbour, ids, Math.min(windowMs, 10_000));
    record('fairness.baseline', baseline);
    opts.log(`fairness: baseline neighbour p50 ${percentile(baseline, 50).toFixed(2)} ms, p99 ${percentile(baseline, 99).toFixed(2)} ms`);

    for (const [name, attack] of Object.entries(attacks())) {
      const a = startAttacker(attacker, attack);
      await sleep(200); // the first attack query is under way
      const lat = await neighbourLoop(neighbour, ids, windowMs);
      const done = await a.stop();
      const k = `fairness.${name}`;
      record(k, lat);
      metrics[`${k}.attack_queries`] = done.durations.length;
      metrics[`${k}.attack_p50_ms`] = percentile(done.durations, 50);
      units[`${k}.attack_p50_ms`] = 'ms';
      metrics[`${k}.attack_refused`] = done.refusals.length;
      if (done.refusals.length) notes.push(`${k}: attack ended ${done.refusals.length}× with "${done.refusals[0]}"`);
      opts.log(`fairness: ${name}: neighbour p50 ${metrics[`${k}.neighbour_p50_ms`]!.toFixed(2)} ms, p99 ${metrics[`${k}.neighbour_p99_ms`]!.toFixed(2)} ms; attack query p50 ${metrics[`${k}.attack_p50_ms`]!.toFixed(0)} ms (${done.durations.length} queries, ${done.refusals.length} refused)`);
    }
  } finally {
    closeAll(clients);
    await target.close();
  }
  return { metrics, units, notes };
}

/** REQs by id, one at a time with a short pause between them, for `ms`: REQ → EOSE latencies. */
async function neighbourLoop(c: Client, ids: string[], ms: number): Promise<number[]> {
  const lat: number[] = [];
  const deadline = performance.now() + ms;
  for (let i = 0; performance.now() < deadline && i < 100_000; i++) {
    const subId = `n${i}`;
    const id = ids[i % ids.length]!;
    const answered = new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
      c.onEose = (sid, at) => { if (sid === subId) { clearTimeout(timer); resolve(at); } };
      c.onClosed = (sid) => { if (sid === subId) { clearTimeout(timer); resolve(null); } };
    });
    const t0 = performance.now();
    c.send(JSON.stringify(['REQ', subId, { ids: [id] }]));
    const at = await answered;
    c.send(JSON.stringify(['CLOSE', subId]));
    if (at !== null) lat.push(at - t0);
    await sleep(5);
  }
  c.onEose = c.onClosed = null;
  return lat;
}

/** Sends one attack query after another on `c` until stopped; times each to its end. */
function startAttacker(c: Client, attack: Attack): { stop(): Promise<{ durations: number[]; refusals: string[] }> } {
  const durations: number[] = [];
  const refusals: string[] = [];
  let stopping = false;
  let current: { subId: string; t0: number; end: (at: number, refusal?: string) => void } | undefined;
  const onMessage = (data: Buffer) => {
    if (!current || (data[2] === 0x45 && data[3] === 0x56)) return; // ["EV: not parsed
    let msg: unknown[];
    try { msg = JSON.parse(data.toString()) as unknown[]; } catch { return; }
    if (msg[1] !== current.subId) return;
    const at = performance.now();
    if (msg[0] === 'EOSE' || msg[0] === 'COUNT' || msg[0] === 'NEG-MSG') current.end(at);
    else if (msg[0] === 'CLOSED' || msg[0] === 'NEG-ERR') current.end(at, String(msg[2]));
  };
  c.ws.on('message', onMessage);
  const loop = (async () => {
    for (let i = 0; !stopping && i < 10_000; i++) {
      const subId = `a${i}`;
      const msg = attack(subId);
      const ended = new Promise<void>((resolve) => {
        const timer = setTimeout(() => { current = undefined; resolve(); }, ANSWER_TIMEOUT_MS);
        current = {
          subId,
          t0: performance.now(),
          end: (at, refusal) => {
            clearTimeout(timer);
            durations.push(at - current!.t0);
            if (refusal !== undefined) refusals.push(refusal);
            current = undefined;
            resolve();
          },
        };
      });
      c.send(JSON.stringify(msg));
      await ended;
      c.send(JSON.stringify([msg[0] === 'NEG-OPEN' ? 'NEG-CLOSE' : 'CLOSE', subId]));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      c.ws.off('message', onMessage);
      return { durations, refusals };
    },
  };
}

async function someIds(c: Client, n: number): Promise<string[]> {
  const ids: string[] = [];
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    c.onEvent = (frame) => {
      const m = /"id":"([0-9a-f]{64})"/.exec(frame.toString());
      if (m) ids.push(m[1]!);
    };
    c.onEose = () => { clearTimeout(timer); resolve(); };
  });
  // Spread over the database: every author's newest kind-1 note, not just the newest events.
  c.send(JSON.stringify(['REQ', 'ids', { kinds: [1], limit: n }, { kinds: [7], limit: n }]));
  await done;
  c.send(JSON.stringify(['CLOSE', 'ids']));
  c.onEvent = c.onEose = null;
  return ids;
}
