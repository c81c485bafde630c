import type { Logger } from '../relay/log.ts';
import { ACCEPT, checkDecision } from './decide.ts';
import type { Policy, Stage } from './policy.ts';
import type { Decision, Label, ReadDecision, ReadInput } from '../relay/policy.ts';

/**
 * One configured step of a pipeline. `current` is swapped in place when an operator file is
 * reloaded, so pipelines never need rebuilding for a file edit.
 */
export interface Step {
  name: string;
  timeoutMs: number;
  onError: 'accept' | 'reject';
  /** Undefined only while the pipelines are being built. */
  current: Policy | undefined;
  log: Logger;
  /** Throttles error logs: a policy failing on every event must not flood the log. */
  lastErrorLog?: number;
  suppressed?: number;
}

/** The answer of a pipeline and which step gave it (for decision records). */
export interface Verdict<D = Decision> {
  decision: D;
  by?: string;
  /** Set when the decision came from onError (crash, garbage, timeout). */
  failed?: string;
  /** Steps that failed earlier and whose onError let the pipeline go on (fail open): recorded too. */
  passedFailures?: { by: string; failed: string }[];
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

function logFailure(step: Step, stage: Stage, why: string): void {
  const now = Date.now();
  if (step.lastErrorLog !== undefined && now - step.lastErrorLog < 5000) {
    step.suppressed = (step.suppressed ?? 0) + 1;
    return;
  }
  step.log.warn({ policy: step.name, stage, onError: step.onError, suppressed: step.suppressed ?? 0 }, `policy failed: ${why}`);
  step.lastErrorLog = now;
  step.suppressed = 0;
}

function failed(step: Step, stage: Stage, why: string): Verdict<ReadDecision> {
  logFailure(step, stage, why);
  const decision: Decision = step.onError === 'accept' ? ACCEPT : { action: 'reject', reason: `error: policy ${step.name} is failing` };
  return { decision, by: step.name, failed: why };
}

function settle(step: Step, stage: Stage, answer: unknown): Verdict<ReadDecision> {
  const d = checkDecision(answer, stage === 'read');
  return typeof d === 'string' ? failed(step, stage, `returned garbage: ${d}`) : { decision: d, by: step.name };
}

/**
 * Calls one step with its time budget. Synchronous answers stay synchronous (no timer, no
 * promise): the default pipeline costs little on ingest. A promise races a timer.
 */
export function callStep(step: Step, stage: Exclude<Stage, 'broadcast'>, input: unknown): Verdict<ReadDecision> | Promise<Verdict<ReadDecision>> {
  const policy = step.current;
  if (!policy) return failed(step, stage, 'not loaded');
  const fn = policy[stage] as ((i: unknown) => unknown) | undefined;
  if (!fn) return { decision: ACCEPT };
  let answer: unknown;
  try {
    answer = fn.call(policy, input);
  } catch (err) {
    return failed(step, stage, `threw: ${(err as Error)?.message ?? String(err)}`);
  }
  if (!isThenable(answer)) return settle(step, stage, answer);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(failed(step, stage, `no answer within ${step.timeoutMs} ms`)), step.timeoutMs);
    Promise.resolve(answer).then(
      (v) => {
        clearTimeout(timer);
        resolve(settle(step, stage, v));
      },
      (err: unknown) => {
        clearTimeout(timer);
        resolve(failed(step, stage, `threw: ${(err as Error)?.message ?? String(err)}`));
      },
    );
  });
}

interface Acc {
  passedFailures?: { by: string; failed: string }[];
  labels?: Label[];
  labelBy?: string;
  labelDecision?: Decision;
  filters?: ReadInput['filters'];
  rewriteBy?: string;
  rewriteRule?: string;
}

/** Folds one answer in; returns the final verdict when it ends the pipeline. */
function fold(acc: Acc, v: Verdict<ReadDecision>, input: { filters?: unknown }): Verdict<ReadDecision> | undefined {
  const d = v.decision;
  switch (d.action) {
    case 'accept':
      if (v.failed) (acc.passedFailures ??= []).push({ by: v.by ?? 'unknown', failed: v.failed });
      return undefined;
    case 'label':
      // Labels do not stop the pipeline: a later step may still reject or hold.
      (acc.labels ??= []).push(...d.labels);
      acc.labelBy ??= v.by;
      acc.labelDecision ??= d;
      return undefined;
    case 'rewrite':
      acc.filters = d.filters;
      acc.rewriteBy = v.by;
      acc.rewriteRule = d.rule;
      input.filters = d.filters;
      return undefined;
    default:
      return v;
  }
}

function finish(acc: Acc, stage: Stage): Verdict<ReadDecision> {
  if (acc.filters) {
    return { decision: { action: 'rewrite', filters: acc.filters, ...(acc.rewriteRule ? { rule: acc.rewriteRule } : {}) }, by: acc.rewriteBy };
  }
  if (acc.labels && stage !== 'read') {
    const first = acc.labelDecision as Extract<Decision, { action: 'label' }>;
    return { decision: { ...first, labels: acc.labels }, by: acc.labelBy };
  }
  return { decision: ACCEPT };
}

const withFailures = (v: Verdict<ReadDecision>, acc: Acc): Verdict<ReadDecision> => (acc.passedFailures ? { ...v, passedFailures: acc.passedFailures } : v);

function runFrom(steps: readonly Step[], i: number, stage: Exclude<Stage, 'broadcast'>, input: { filters?: unknown }, acc: Acc): Verdict<ReadDecision> | Promise<Verdict<ReadDecision>> {
  for (; i < steps.length; i++) {
    const r = callStep(steps[i]!, stage, input);
    if (r instanceof Promise) {
      const next = i + 1;
      return r.then((v) => {
        const end = fold(acc, v, input);
        return end ? withFailures(end, acc) : runFrom(steps, next, stage, input, acc);
      });
    }
    const end = fold(acc, r, input);
    if (end) return withFailures(end, acc);
  }
  return withFailures(finish(acc, stage), acc);
}

/**
 * Runs a stage's steps in order. The first reject, shadowReject or hold wins; labels accumulate;
 * a read rewrite hands the new filters to the steps after it. Stays synchronous while every
 * step answers synchronously.
 */
export function runPipeline(steps: readonly Step[], stage: Exclude<Stage, 'broadcast'>, input: object): Verdict<ReadDecision> | Promise<Verdict<ReadDecision>> {
  if (steps.length === 0) return { decision: ACCEPT };
  // Read input is copied so a rewrite does not change the caller's object.
  const own = stage === 'read' ? { ...(input as ReadInput) } : (input as { filters?: unknown });
  return runFrom(steps, 0, stage, own, {});
}

/** Broadcast: every step must allow; a throwing step follows onError. Always synchronous. */
export function runBroadcast(steps: readonly Step[], input: unknown): boolean {
  for (const step of steps) {
    const fn = step.current?.broadcast;
    if (!fn) continue;
    let ok: unknown;
    try {
      ok = fn.call(step.current, input as never);
    } catch (err) {
      logFailure(step, 'broadcast', `threw: ${(err as Error)?.message ?? String(err)}`);
      if (step.onError === 'reject') return false;
      continue;
    }
    if (ok === false) return false;
    if (ok !== true) {
      logFailure(step, 'broadcast', `returned ${typeof ok}, not a boolean`);
      if (step.onError === 'reject') return false;
    }
  }
  return true;
}

/** A step seen as a policy, so combinators nest isolated steps. */
export function stepAsPolicy(step: Step): Policy {
  const one = [step];
  const pick = <D>(r: Verdict<D> | Promise<Verdict<D>>) => (r instanceof Promise ? r.then((v) => v.decision) : r.decision);
  return {
    connection: (i) => pick(runPipeline(one, 'connection', i)) as Decision,
    write: (i) => pick(runPipeline(one, 'write', i)) as Decision,
    read: (i) => pick(runPipeline(one, 'read', i)),
    auth: (i) => pick(runPipeline(one, 'auth', i)) as Decision,
    broadcast: (i) => runBroadcast(one, i),
    committed: (e) => {
      try {
        step.current?.committed?.(e);
      } catch (err) {
        logFailure(step, 'write', `committed() threw: ${(err as Error)?.message}`);
      }
    },
    close: () => step.current?.close?.(),
  };
}
