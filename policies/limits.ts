import type { Nip11Limitation } from '../relay/policy.ts';
import { stricter } from '../relay/nip11.ts';
import type { Step } from './pipeline.ts';

type Limits = Partial<Nip11Limitation>;

/**
 * What a pipeline enforces on everything it judges: every step runs on every event (the first
 * refusal wins), so each step's limits apply and the stricter value of each field is the answer.
 * A step that is not loaded, or whose limits() throws, promises nothing.
 */
export function pipelineLimits(steps: readonly Step[]): Limits {
  let out: Limits = {};
  for (const step of steps) {
    const policy = step.current;
    if (!policy?.limits) continue;
    try {
      out = stricter(out, policy.limits());
    } catch (err) {
      step.log.warn({ policy: step.name, err: (err as Error).message }, 'policy limits() threw');
    }
  }
  return out;
}
