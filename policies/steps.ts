import { policyEntry, type PolicyEntry } from '../config/sections/policies.ts';
import { composePipelines } from '../config/pipelines.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../relay/log.ts';
import type { RelayServices } from '../relay/services.ts';
import { builtins } from './builtin/index.ts';
import type { ToxicityClassifier } from './policy.ts';
import { ACCEPT } from './decide.ts';
import type { PolicyFiles } from './loader.ts';
import { WorkerPolicy } from './isolate/workerPolicy.ts';
import type { Moderation } from './moderation.ts';
import { stepAsPolicy, type Step } from './pipeline.ts';
import { STAGES, type Policy, type PolicyContext, type PolicyModule, type Stage } from './policy.ts';
import type { Rulebook } from './rulebook.ts';
import type { TrustGraph } from './trust/graph.ts';

type PoliciesConfig = Config['policies'];

export type Pipelines = Record<Stage, Step[]>;

/** A step whose policy comes from an operator file, and how to load that file again. */
export interface FileStep {
  use: string;
  /** The file `use` named when the pipelines were built. */
  file: string;
  step: Step;
  load(file: string): Promise<Policy>;
}

/** The steps built from one version of the `policies` config. */
export interface BuiltPipelines {
  pipelines: Pipelines;
  /** Every step, nested ones included: committed() and close() reach them all. */
  steps: Step[];
  fileSteps: FileStep[];
  /** Set when the build failed: policies still loading are closed as they arrive. */
  abandoned?: boolean;
}

export interface StepBuilderDeps {
  files: PolicyFiles;
  log: Logger;
  rulebook: Rulebook;
  services: RelayServices;
  trust: TrustGraph;
  moderation: Moderation;
  classifier?: ToxicityClassifier;
}

/**
 * Builds pipelines from config entries: built-ins (options checked against their schema),
 * combinators (nested entries), strfry plugins and operator files (each in its own worker
 * thread, or inline on the main thread when the entry says so).
 * The moderators' bans run first at the connection, write and auth stages, whatever is configured.
 */
export class StepBuilder {
  private readonly banStep: Step;

  constructor(private readonly deps: StepBuilderDeps) {
    const { moderation } = deps;
    this.banStep = {
      name: 'moderation',
      timeoutMs: 1000,
      onError: 'reject',
      log: deps.log,
      current: {
        write: ({ event }) => {
          const why = moderation.banned(event) ?? moderation.refused(event);
          return why ? { action: 'reject', reason: why, rule: 'banned' } : ACCEPT;
        },
        connection: ({ ip }) => (moderation.isIpBlocked(ip) ? { action: 'reject', reason: 'blocked: this address is blocked by the village moderators', rule: 'banned' } : ACCEPT),
        auth: ({ pubkey }) => (moderation.isPubkeyBanned(pubkey) ? { action: 'reject', reason: 'blocked: this author is banned from the village', rule: 'banned' } : ACCEPT),
      },
    };
  }

  /**
   * Every stage's pipeline, composed from config (policies.<stage>, remove, add). Any entry that
   * cannot be built (bad options, a missing file, a file that fails to load) throws an error
   * naming its key, after closing the steps built so far: a start refuses it, a reload keeps the
   * running pipelines.
   */
  async build(c: PoliciesConfig): Promise<BuiltPipelines> {
    const out: BuiltPipelines = { pipelines: {} as Pipelines, steps: [], fileSteps: [] };
    const { pipelines, problems } = composePipelines(c);
    if (problems.length > 0) throw new Error(`policies.${problems[0]!.path.join('.')}: ${problems[0]!.message}`);
    try {
      for (const stage of STAGES) {
        const steps: Step[] = [];
        for (const { entry, key } of pipelines[stage]) steps.push(await this.step(entry, key, c, out));
        out.pipelines[stage] = steps;
      }
      if (c.strfryPlugin) {
        out.pipelines.write.push(await this.step({ use: 'strfry', name: 'strfryPlugin', options: { command: c.strfryPlugin } }, 'policies.strfryPlugin', c, out));
      }
    } catch (err) {
      out.abandoned = true;
      await closeSteps(out.steps, this.deps.log);
      throw err;
    }
    out.pipelines.write.unshift(this.banStep);
    out.pipelines.auth.unshift(this.banStep);
    out.pipelines.connection.unshift(this.banStep);
    return out;
  }

  private async step(raw: unknown, key: string, c: PoliciesConfig, out: BuiltPipelines): Promise<Step> {
    const { files, log } = this.deps;
    const parsed = policyEntry.safeParse(raw);
    if (!parsed.success) throw new Error(`${key}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ')}`);
    const entry: PolicyEntry = parsed.data;
    const name = entry.name ?? entry.use;
    const step: Step = { name, timeoutMs: entry.timeoutMs ?? c.timeoutMs, onError: entry.onError ?? c.onError, current: undefined, log };
    out.steps.push(step);
    const ctx: PolicyContext = {
      name,
      dir: files.dir,
      log: log.child({ policy: name }),
      rulebook: this.deps.rulebook,
      services: this.deps.services,
      trust: this.deps.trust,
      classifier: this.deps.classifier,
      build: async (e, p) => stepAsPolicy(await this.step(e, nestedKey(key, entry.use, p), c, out)),
    };
    // Combinators build their children in parallel: one failing abandons the build while a
    // sibling is still loading, and that sibling must not outlive it (a worker, a plugin process).
    const adopt = async (policy: Policy): Promise<void> => {
      step.current = policy;
      if (out.abandoned) await closeSteps([step], log);
    };
    const builtin = builtins.get(entry.use);
    if (builtin) {
      const o = builtin.options.safeParse(entry.options);
      if (!o.success) throw new Error(`${key}.options (${entry.use}): ${o.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
      try {
        await adopt(await builtin.create(o.data, ctx));
      } catch (err) {
        const message = (err as Error).message;
        // A nested entry's error already names its own key.
        throw new Error(message.startsWith(`${key}.`) ? message : `${key} (${entry.use}): ${message}`);
      }
      return step;
    }
    const instantiate = async (mod: PolicyModule): Promise<Policy> => {
      const p = typeof mod === 'function' ? await mod(entry.options, ctx) : mod;
      if (!p || typeof p !== 'object') throw new Error(`${entry.use}: the factory returned ${typeof p}, not a policy object`);
      return p;
    };
    // Operator files run in a worker unless the entry says inline: a file stuck in a loop must
    // cost its own events, not the relay. In a worker the file is never imported on the main
    // thread, since its top level could hang it too.
    const load = async (file: string): Promise<Policy> =>
      entry.isolate === 'inline'
        ? instantiate(await files.import(file))
        : (await WorkerPolicy.start({ file, name, dir: files.dir, options: entry.options, rulebookPath: this.deps.rulebook.path, logLevel: log.level }, ctx.log, Math.max(1000, 4 * step.timeoutMs))).policy();
    const file = files.locate(entry.use);
    if (!file) throw new Error(`${key}.use: "${entry.use}" is neither a built-in nor a policy file in ${files.dir}`);
    try {
      await adopt(await load(file));
    } catch (err) {
      throw new Error(`${key} (${entry.use}): ${file}: ${(err as Error).message}`);
    }
    files.loaded(file);
    out.fileSteps.push({ use: entry.use, file, step, load });
    return step;
  }
}

/** The config key of a combinator's child (`all`/`any` name it `<name>.<i>`, `not` `<name>.0`), as validate.ts names it. */
function nestedKey(key: string, use: string, path: string): string {
  if (use === 'not') return `${key}.options.policy`;
  const i = /\.(\d+)$/.exec(path)?.[1];
  return i === undefined ? `${key} > ${path}` : `${key}.options.policies[${i}]`;
}

/** Closes each step's policy; a close that fails is logged, never thrown. */
export async function closeSteps(steps: Step[], log: Logger): Promise<void> {
  await Promise.all(
    steps.map(async (s) => {
      try {
        await s.current?.close?.();
      } catch (err) {
        log.warn({ policy: s.name, err: (err as Error).message }, 'policy close failed');
      }
    }),
  );
}
