import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { PolicyFiles } from '../loader.ts';
import { STAGES, type Policy, type PolicyContext } from '../policy.ts';
import { loadRulebook } from '../rulebook.ts';
import { TrustGraph } from '../trust/graph.ts';
import type { Answer, Call, CallStage, FromWorker, ToWorker, WorkerInit } from './protocol.ts';

/**
 * Runs one operator policy file in its own thread. The file gets a context without the relay
 * (no store queries, no trust graph) since those live on the main thread.
 */
const init = workerData as WorkerInit;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
// No pid or hostname: the main thread logs each line again under the step's own logger.
const log = pino({ level: init.logLevel, base: null }, { write: (line: string) => send({ type: 'log', line }) });

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
  const stages = STAGES.filter((s): s is CallStage => s !== 'broadcast' && typeof policy[s] === 'function');
  if (typeof policy.broadcast === 'function') log.warn('broadcast is synchronous and cannot run in a worker; it is ignored (set isolate = "inline" to use it)');
  send({ type: 'ready', stages, committed: typeof policy.committed === 'function' });
} catch (err) {
  send({ type: 'failed', error: (err as Error)?.message ?? String(err) });
  process.exit(0);
}

let outgoing: Answer[] = [];
const answer = (a: Answer) => {
  if (outgoing.length === 0) setImmediate(flush);
  outgoing.push(a);
};
function flush(): void {
  const answers = outgoing;
  outgoing = [];
  try {
    send({ type: 'answers', answers });
  } catch {
    // One answer that cannot be cloned (a function in it) must not lose the others.
    for (const a of answers) {
      try {
        send({ type: 'answers', answers: [a] });
      } catch (err) {
        send({ type: 'answers', answers: [{ seq: a.seq, error: `answer cannot be sent: ${(err as Error).message}` }] });
      }
    }
  }
}

function call({ seq, stage, input }: Call): void {
  const fail = (err: unknown) => answer({ seq, error: (err as Error)?.message ?? String(err) });
  try {
    const result = (policy[stage] as (i: unknown) => unknown).call(policy, input);
    if (result instanceof Promise || (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function')) {
      Promise.resolve(result).then((decision) => answer({ seq, decision }), fail);
    } else answer({ seq, decision: result });
  } catch (err) {
    fail(err);
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'ping') return send({ type: 'pong' });
  if (m.type === 'committed') {
    try {
      policy.committed?.(m.event as never);
    } catch (err) {
      log.warn({ err: (err as Error)?.message }, 'committed() threw');
    }
    return;
  }
  for (const c of m.calls) call(c);
});
