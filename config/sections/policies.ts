import { z } from 'zod';
import { composePipelines, PIPELINE_STAGES, type PipelineStage } from '../pipelines.ts';

/**
 * One step of a stage pipeline. `use` names a built-in (`rateLimit`, `hellthread`, ...), a
 * combinator (`all`, `any`, `not`, whose options hold `policies = [...]`), `strfry`, or an
 * operator file in `policies.dir` (`noShouting`, `noShouting.ts`, `./sub/x.js`).
 */
export const policyEntry = z
  .object({
    use: z.string().min(1).describe('Built-in name, combinator, `strfry`, or a file in policies.dir.'),
    name: z.string().min(1).optional().describe('Name in logs and decision records; defaults to `use`.'),
    options: z.record(z.string(), z.unknown()).default({}).describe('Options passed to the policy factory.'),
    timeoutMs: z.number().int().min(1).max(60_000).optional().describe('Time budget per call; defaults to policies.timeoutMs.'),
    onError: z.enum(['accept', 'reject']).optional().describe('What a throw, garbage answer or timeout means; defaults to policies.onError.'),
    isolate: z
      .enum(['worker', 'inline'])
      .optional()
      .describe(
        'Operator files only. "worker" (the default): the file runs in its own thread, so a call stuck in a loop times out and the thread is restarted ' +
          '(no ctx.services, no broadcast). "inline": on the relay\'s thread, where a synchronous endless loop freezes the relay.',
      ),
  })
  .strict();

export type PolicyEntry = z.infer<typeof policyEntry>;

/** An entry added to a pipeline without replacing it, placed by the name of a step already there. */
const addedEntry = policyEntry
  .extend({
    before: z.string().min(1).optional().describe('Insert before the step of this name.'),
    after: z.string().min(1).optional().describe('Insert after the step of this name (neither: at the end).'),
  })
  .strict();

const pipeline = (stage: string, dflt: z.input<typeof policyEntry>[]) =>
  z
    .array(policyEntry)
    .default(dflt as PolicyEntry[])
    .describe(`Policies run on ${stage}, in order; the first reject, shadowReject or hold wins.`)
    .meta({ hot: true });

/** Moderation policies (DESIGN.md section 4). The defaults suit a small village as they are. */
export const policiesSection = z
  .object({
    dir: z.string().default('./policies.d').describe('Directory of operator policy files (TS/JS), hot-reloaded on change.'),
    rulebook: z.string().default('').describe('The village rulebook (TOML). Empty: the one shipped in policies/rulebook.toml.').meta({ hot: true }),
    timeoutMs: z.number().int().min(1).max(60_000).default(500).describe('Default time budget of one policy call.').meta({ hot: true }),
    onError: z
      .enum(['accept', 'reject'])
      .default('reject')
      .describe(
        'Default fail mode of a policy that throws, answers garbage or runs out of time: "reject" (fail closed: the event, request or connection ' +
          'is refused with "error: policy <name> is failing") or "accept" (fail open). Every failure is logged and recorded either way.',
      )
      .meta({ hot: true }),
    members: z
      .array(z.string())
      .default([])
      .describe('Village members (hex or npub): the roots of the web of trust used by webOfTrust and pow.')
      .meta({ hot: true }),
    trustMaxHops: z.number().int().min(0).max(6).default(2).describe('Follow-list hops from a member that still count as trusted.').meta({ hot: true }),
    decisionRetentionDays: z.number().int().min(1).default(180).describe('How long decision records are kept.'),
    strfryPlugin: z
      .string()
      .default('')
      .describe('Command of a strfry write-policy plugin run after the write pipeline (empty: none).')
      .meta({ hot: true }),
    connection: pipeline('each new connection (before the WebSocket upgrade)', [
      { use: 'rateLimit', options: { perIp: { perMinute: 60, burst: 30 } } },
    ]),
    write: pipeline('each EVENT', [
      { use: 'rateLimit', options: { perIp: { perMinute: 240, burst: 120 }, perPubkey: { perMinute: 120, burst: 60 } } },
      { use: 'sizeLimits', options: { maxTags: 5000, maxTagValueLength: 4096 } },
      { use: 'hellthread', options: { maxPTags: 100 } },
      { use: 'duplicates', options: { windowSeconds: 600, maxCopies: 5, minLength: 24 } },
    ]),
    read: pipeline('each REQ and COUNT', [
      { use: 'rateLimit', options: { perIp: { perMinute: 600, burst: 200 } } },
    ]),
    broadcast: pipeline('each live delivery (synchronous policies only)', []),
    auth: pipeline('each NIP-42 AUTH', []),
    remove: z
      .array(z.string().min(1))
      .default([])
      .describe('Steps taken out of the pipelines above, by name: "hellthread" (from every stage that has it) or "read.rateLimit" (from one stage).')
      .meta({ hot: true }),
    add: z
      .object(Object.fromEntries(PIPELINE_STAGES.map((s) => [s, z.array(addedEntry).optional()])) as Record<PipelineStage, z.ZodOptional<z.ZodArray<typeof addedEntry>>>)
      .strict()
      .default({})
      .describe(
        'Steps added to the pipelines above, which keep their other steps: one [[policies.add.<stage>]] table per step, with the keys of a pipeline entry ' +
          'and before or after = "<step name>" (neither: at the end). Applied after policies.remove, so removing a step and adding it back moves it.',
      )
      .meta({ hot: true, tables: true }),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const problem of composePipelines(p).problems) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });

export type PoliciesSection = z.infer<typeof policiesSection>;
