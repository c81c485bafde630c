import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { PolicyFiles } from '../loader.ts';
import { STAGES, type Policy, type PolicyContext } from '../policy.ts';
import { loadRulebook } from '../rulebook.ts';
import { TrustGraph } from '../trust/graph.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';

/**
 * Runs one operator policy file in its own thread. The file gets a context without the relay
 * (no store queries, no trust graph) since those live on the main thread.
 */
const init = workerData as WorkerInit;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const log = pino({ level: 'info' }, { write: (line: string) => send({ type: 'log', level: 'info', msg: line.trim() }) });

let policy: Policy;
try {
  const files = new PolicyFiles(init.dir, log);
  const mod = await files.import(init.file);
  const ctx: PolicyContext = {
    name: init.name,
    dir: init.dir,
    log,
    rulebook: loadRulebook(init.rulebookPath),
    trust: new TrustGraph(),
    build: () => Promise.reject(new Error('combinators are not available inside an isolated policy')),
  };
  policy = typeof mod === 'function' ? await mod(init.options, ctx) : mod;
  if (!policy || typeof policy !== 'object') throw new Error(`the factory returned ${typeof policy}, not a policy object`);
  send({ type: 'ready', stages: STAGES.filter((s) => typeof policy[s] === 'function') });
} catch (err) {
  send({ type: 'failed', error: (err as Error)?.message ?? String(err) });
  process.exit(0);
}

port.on('message', async (m: ToWorker) => {
  if (m.type === 'committed') {
    try {
      policy.committed?.(m.event as never);
    } catch {
      // committed() is advisory; the main thread does not wait for it
    }
    return;
  }
  try {
    const fn = policy[m.stage] as (i: unknown) => unknown;
    send({ type: 'answer', seq: m.seq, decision: await fn.call(policy, m.input) });
  } catch (err) {
    send({ type: 'error', seq: m.seq, error: (err as Error)?.message ?? String(err) });
  }
});
