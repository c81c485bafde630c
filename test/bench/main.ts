// `npm run bench`: runs the scenarios in test/bench/scenarios/, prints a table, writes JSON.
// Usage: npm run bench -- [--quick] [--url ws://127.0.0.1:PORT [--pid N]] [--only a,b] [--out file.json] [--prof]
import { readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { median, round } from './util/stats.ts';
import { assertLoopback } from './util/target.ts';
import type { BenchOptions, ScenarioResult } from './util/types.ts';

const ORDER = ['verifiers', 'ingest', 'queries', 'fanout', 'memory'];
/** Scenarios that measure what any relay does (the others use Hamlet's DVMs, models, cluster...). */
const COMPARABLE = new Set(['ingest', 'closedLoop', 'queries', 'import', 'memory', 'fanout']);

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    url: { type: 'string' },
    pid: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench-results.json' },
    prof: { type: 'boolean', default: false },
    'node-flags': { type: 'string' },
    strfry: { type: 'string' },
    'strfry-conf': { type: 'string' },
    reps: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const scenarioDir = new URL('./scenarios/', import.meta.url);
const available = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

if (values.help) {
  console.log(`npm run bench -- [--quick] [--url ws://127.0.0.1:PORT] [--pid PID] [--only ${available.join(',')}] [--out file.json] [--prof]
  --quick  short version of every scenario (about a minute in all)
  --url    measure a relay that is already running (loopback only); default: start Hamlet per scenario
  --pid    that relay's process id, for RSS figures
  --only   comma-separated scenarios (default: all)
  --out    JSON results (default bench-results.json)
  --prof   run each Hamlet the harness starts with --cpu-prof (profiles in .bench/profiles/)
  --node-flags="..."  node flags for every Hamlet the harness starts (e.g. --node-flags=--max-semi-space-size=4)
  --strfry PATH  measure strfry (a binary you built from its source) beside Hamlet: each scenario
           runs on both, alternating, --reps times (default 3; 1 with --quick); medians and
           Hamlet / strfry ratios (${[...COMPARABLE].join(', ')}; others run on Hamlet alone).
           strfry.conf beside the binary is the template (--strfry-conf)`);
  process.exit(0);
}

if (values.url) {
  try {
    assertLoopback(values.url);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}
if (values.url && values.strfry) {
  console.error('--url and --strfry: choose one (with --strfry the harness starts both relays itself)');
  process.exit(2);
}
// With --strfry and no --only: the scenarios both relays can run.
const chosen = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : values.strfry ? available.filter((s) => COMPARABLE.has(s)) : available;
const unknown = chosen.filter((s) => !available.includes(s));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

const opts: BenchOptions = {
  quick: values.quick,
  url: values.url,
  pid: values.pid ? Number(values.pid) : undefined,
  relayNodeFlags: [...(values.prof ? ['--cpu-prof', `--cpu-prof-dir=${process.cwd()}/.bench/profiles`] : []), ...(values['node-flags']?.split(/\s+/).filter(Boolean) ?? [])],
  strfry: values.strfry ? { binary: values.strfry, conf: values['strfry-conf'] } : undefined,
  log: (line) => process.stderr.write(`  … ${line}\n`),
};
// A scenario that hangs must not hold the run: each gets a hard time budget.
const budgetMs = (values.quick ? 3 : 20) * 60_000 * (opts.strfry ? 2 * compareReps() : 1);

function compareReps(): number {
  const n = values.reps === undefined ? (values.quick ? 1 : 3) : Number(values.reps);
  if (!Number.isInteger(n) || n < 1 || n > 9) {
    console.error(`--reps ${values.reps}: a whole number from 1 to 9`);
    process.exit(2);
  }
  return n;
}

/** One scenario; with --strfry, on both relays in turn (H S H S H S), each figure the median of its runs. */
async function runScenario(name: string, mod: { run(o: BenchOptions): Promise<ScenarioResult | Record<string, number>> }): Promise<ScenarioResult> {
  const once = async (o: BenchOptions): Promise<ScenarioResult> => {
    const raw = await mod.run(o);
    return 'metrics' in raw && typeof raw.metrics === 'object' ? (raw as ScenarioResult) : { metrics: raw as Record<string, number> };
  };
  if (!opts.strfry || !COMPARABLE.has(name)) return once(opts);
  const runs: Record<string, number[]> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const n = compareReps();
  for (let rep = 0; rep < n; rep++) {
    for (const side of ['hamlet', 'strfry'] as const) {
      opts.log(`${side}, run ${rep + 1}/${n}`);
      let r: ScenarioResult;
      try {
        r = await once({ ...opts, side, reps: 1 });
      } catch (err) {
        // One failed run (a relay that crashed under the load) leaves the others' medians.
        notes.push(`${side}, run ${rep + 1} failed, left out of the medians: ${(err as Error).message}`);
        opts.log(`${side}, run ${rep + 1} failed: ${(err as Error).message}`);
        continue;
      }
      for (const [k, v] of Object.entries(r.metrics)) (runs[`${side}.${k}`] ??= []).push(v);
      for (const [k, u] of Object.entries(r.units ?? {})) units[`${side}.${k}`] = u;
      notes.push(...(r.notes ?? []).map((x) => `${side}, run ${rep + 1}: ${x}`));
    }
  }
  const metrics = Object.fromEntries(Object.entries(runs).map(([k, vs]) => [k, median(vs)]));
  for (const [k, vs] of Object.entries(runs)) if (vs.length > 1 && units[k]) units[k] += ` (median of ${vs.length})`;
  // Hamlet / strfry for each figure both have (a scenario names strfry's series "strfry" where Hamlet's are variants).
  for (const k of Object.keys(metrics)) {
    if (!k.startsWith('hamlet.')) continue;
    const bare = k.slice('hamlet.'.length);
    const peer = [bare, bare.replace(/\.(bare|policies|wasm)\./, '.strfry.')].map((x) => metrics[`strfry.${x}`]).find((v) => v !== undefined);
    if (peer === undefined || peer === 0) continue;
    metrics[`ratio.${bare}`] = metrics[k]! / peer;
    units[`ratio.${bare}`] = '× (Hamlet / strfry)';
  }
  return { metrics, units, notes };
}

interface Outcome extends ScenarioResult { seconds: number; error?: string }
const results: Record<string, Outcome> = {};

for (const name of chosen) {
  process.stderr.write(`scenario ${name}\n`);
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const mod = (await import(new URL(`${name}.ts`, scenarioDir).href)) as { run(o: BenchOptions): Promise<ScenarioResult | Record<string, number>> };
    const res = await Promise.race([
      runScenario(name, mod),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`over its ${budgetMs / 60_000} min budget`)), budgetMs); }),
    ]);
    results[name] = { ...res, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    results[name] = { metrics: {}, seconds: (performance.now() - t0) / 1000, error: (err as Error).stack ?? String(err) };
    process.stderr.write(`scenario ${name} failed: ${(err as Error).message}\n`);
  } finally {
    clearTimeout(timer);
  }
}

// Every ingest figure also as a fraction of one core's verification ceiling.
const ceiling = results.verifiers?.metrics['verify.ceiling.per_s'];
if (ceiling && results.ingest) {
  for (const [k, v] of Object.entries(results.ingest.metrics)) {
    const m = /^(ingest\..+)\.accepted_per_s$/.exec(k);
    if (m) {
      results.ingest.metrics[`${m[1]}.vs_ceiling`] = v / ceiling;
      (results.ingest.units ??= {})[`${m[1]}.vs_ceiling`] = '× 1-core ceiling';
    }
  }
}

printTable(results);
const report = {
  date: new Date().toISOString(),
  quick: opts.quick,
  target: opts.url ?? (opts.strfry ? `hamlet and strfry (${opts.strfry.binary}), alternating` : 'hamlet (started per scenario)'),
  machine: { cpus: availableParallelism(), model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  scenarios: results,
};
writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
console.log(`\nresults written to ${values.out}`);
// Clients, workers and child relays are closed by the scenarios; exit anyway so nothing lingers.
process.exit(Object.values(results).some((r) => r.error) ? 1 : 0);

function printTable(all: Record<string, Outcome>): void {
  const rows: string[][] = [['scenario', 'metric', 'value', 'unit']];
  for (const [name, r] of Object.entries(all)) {
    if (r.error) rows.push([name, 'ERROR', r.error.split('\n')[0]!, '']);
    for (const [k, v] of Object.entries(r.metrics)) rows.push([name, k, String(round(v)), r.units?.[k] ?? '']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log('');
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const [name, r] of Object.entries(all)) for (const n of r.notes ?? []) console.log(`note (${name}): ${n}`);
}
