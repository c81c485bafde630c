import { z } from 'zod';

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
      .enum(['none', 'worker'])
      .optional()
      .describe('Operator files only: "worker" runs the file in its own thread (a stuck file is restarted; no store access, no broadcast).'),
  })
  .strict();

export type PolicyEntry = z.infer<typeof policyEntry>;

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
      .default('accept')
      .describe('Default fail mode of a policy that throws, answers garbage or runs out of time.')
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
  })
  .strict();
