/** The stages that have a pipeline (policies/policy.ts STAGES; config cannot import policies/). */
export const PIPELINE_STAGES = ['connection', 'write', 'read', 'broadcast', 'auth'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** What composition needs of a pipeline entry (config/sections/policies.ts policyEntry). */
interface Named {
  use: string;
  name?: string;
}

/** The pipeline keys of the `policies` section. */
export type PipelinesSection<E extends Named> = Record<PipelineStage, E[]> & {
  remove: string[];
  add: Partial<Record<PipelineStage, (E & { before?: string; after?: string })[]>>;
};

/** One step of a composed pipeline, with the config key it came from (for error messages). */
export interface PlacedEntry<E> {
  entry: E;
  /** e.g. `policies.write[2]` or `policies.add.write[0]`. */
  key: string;
}

export interface CompositionProblem {
  /** Path inside the `policies` section. */
  path: (string | number)[];
  message: string;
}

export type ComposedPipelines<E> = Record<PipelineStage, PlacedEntry<E>[]>;

const stepName = (e: Named): string => e.name ?? e.use;
const STAGE_PREFIX = new RegExp(`^(${PIPELINE_STAGES.join('|')})\\.(.+)$`);
const listNames = (steps: PlacedEntry<Named>[]) => (steps.length ? steps.map((s) => stepName(s.entry)).join(', ') : 'none');

/**
 * The pipelines a `policies` section asks for: each stage's list (`policies.write`, the defaults
 * unless replaced), less `policies.remove`, plus `policies.add.<stage>` entries placed
 * `before`/`after` a named step (at the end without either). Pure data: the config check and the
 * engine compose the same way, and every name that matches nothing is a problem, never ignored.
 */
export function composePipelines<E extends Named>(p: PipelinesSection<E>): { pipelines: ComposedPipelines<E>; problems: CompositionProblem[] } {
  const problems: CompositionProblem[] = [];
  const pipelines = Object.fromEntries(
    PIPELINE_STAGES.map((stage) => [stage, p[stage].map((entry, i) => ({ entry, key: `policies.${stage}[${i}]` }))]),
  ) as ComposedPipelines<E>;

  p.remove.forEach((target, i) => {
    const m = STAGE_PREFIX.exec(target);
    const stages = m ? [m[1] as PipelineStage] : PIPELINE_STAGES;
    const name = m ? m[2]! : target;
    let removed = 0;
    for (const stage of stages) {
      const before = pipelines[stage].length;
      pipelines[stage] = pipelines[stage].filter((s) => stepName(s.entry) !== name);
      removed += before - pipelines[stage].length;
    }
    if (removed === 0) {
      const where = m ? `the ${m[1]} pipeline (steps: ${listNames(pipelines[m[1] as PipelineStage])})` : 'any pipeline';
      problems.push({ path: ['remove', i], message: `no step named "${name}" in ${where}` });
    }
  });

  for (const stage of PIPELINE_STAGES) {
    (p.add[stage] ?? []).forEach((added, i) => {
      const { before, after, ...entry } = added;
      const path = ['add', stage, i];
      const steps = pipelines[stage];
      const name = stepName(entry);
      if (steps.some((s) => stepName(s.entry) === name)) {
        problems.push({ path: [...path, 'name'], message: `a step named "${name}" is already in the ${stage} pipeline: give this one another \`name\`, or remove the other` });
        return;
      }
      if (before !== undefined && after !== undefined) {
        problems.push({ path, message: 'give before or after, not both' });
        return;
      }
      const anchor = before ?? after;
      let at = steps.length;
      if (anchor !== undefined) {
        const found = steps.flatMap((s, j) => (stepName(s.entry) === anchor ? [j] : []));
        if (found.length !== 1) {
          const why = found.length === 0 ? 'no step named' : 'more than one step named';
          problems.push({ path: [...path, before !== undefined ? 'before' : 'after'], message: `${why} "${anchor}" in the ${stage} pipeline (steps: ${listNames(steps)})` });
          return;
        }
        at = before !== undefined ? found[0]! : found[0]! + 1;
      }
      steps.splice(at, 0, { entry: entry as unknown as E, key: `policies.add.${stage}[${i}]` });
    });
  }
  return { pipelines, problems };
}

/**
 * Default steps a replaced pipeline (`[[policies.write]]` in a file) leaves out, per stage: a
 * replacement is allowed, but never silent. `policies.remove` is the way to drop one on purpose.
 */
export function droppedDefaults(p: Record<PipelineStage, Named[]>, defaults: Record<PipelineStage, Named[]>): string[] {
  const notes: string[] = [];
  for (const stage of PIPELINE_STAGES) {
    const kept = new Set(p[stage].map(stepName));
    const dropped = defaults[stage].map(stepName).filter((n) => !kept.has(n));
    if (dropped.length > 0) {
      notes.push(
        `policies.${stage} replaces the default ${stage} pipeline, leaving out ${dropped.join(', ')}; ` +
          `to add a policy and keep the defaults use [[policies.add.${stage}]], to drop one use policies.remove`,
      );
    }
  }
  return notes;
}
