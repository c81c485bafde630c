import { z } from 'zod';

/** NIP-56 report types, named once: the config maps each to a rule of the rulebook. */
export const REPORT_TYPES = ['nudity', 'malware', 'profanity', 'illegal', 'spam', 'impersonation', 'other'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** The village moderates itself (moderation/): reports, cases, signed decisions, appeals, juries. */
export const moderationSection = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Run village moderation: NIP-56 reports become cases, decisions are signed NIP-32 labels, authors may appeal to a jury of members.'),
    keyFile: z
      .string()
      .default('')
      .describe("The moderation key that signs decisions, receipts and notices (hex, created on first start, mode 0600). Empty: <storage.dataDir>/moderation.key."),
    namespace: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._/-]*$/, 'a NIP-32 namespace: lower-case, dots, slashes')
      .default('village.hamlet.rulebook')
      .describe('NIP-32 namespace (L) of the rulebook; each decision label names its rule id in it.'),
    moderators: z
      .array(z.string())
      .default([])
      .describe("Moderators (hex or npub) besides the relay's admins: they work the case queue in the /admin console (NIP-98 sign-in); only admins change the rulebook.")
      .meta({ hot: true }),
    memberHops: z
      .number()
      .int()
      .min(0)
      .max(6)
      .default(2)
      .describe('Follow hops from policies.members that still make a member: who may report with weight and sit on a jury. With no members configured every reporter counts and no jury can be drawn.')
      .meta({ hot: true }),
    action: z
      .enum(['hide', 'label'])
      .default('hide')
      .describe('What weighted reports do once they reach `threshold`: hide the event pending review, or only label it.')
      .meta({ hot: true }),
    threshold: z
      .number()
      .positive()
      .default(1.5)
      .describe("Sum of reporters' weights that triggers the provisional action (a newcomer weighs priorUpheld / (priorUpheld + priorOverturned)).")
      .meta({ hot: true }),
    priorUpheld: z
      .number()
      .positive()
      .default(2)
      .describe("Bayesian prior of a reporter's track record: reports counted as upheld before any real outcome.")
      .meta({ hot: true }),
    priorOverturned: z
      .number()
      .positive()
      .default(2)
      .describe("Bayesian prior of a reporter's track record: reports counted as overturned before any real outcome.")
      .meta({ hot: true }),
    maxReportsPerHour: z.number().int().min(1).default(20).describe('Reports one member may file per hour; more are refused (rate-limited).').meta({ hot: true }),
    reportRules: z
      .record(z.enum(REPORT_TYPES), z.string())
      .default({ nudity: 'content', malware: 'abuse', profanity: 'abuse', illegal: 'abuse', spam: 'spam', impersonation: 'identity', other: 'content' })
      .describe('The rulebook rule a NIP-56 report type cites.')
      .meta({ hot: true }),
    appealDays: z.number().min(0).default(14).describe('Days after a decision during which its author may appeal.').meta({ hot: true }),
    jurySize: z.number().int().min(1).max(25).default(5).describe('Jurors drawn per appeal, across different communities of the follow graph.').meta({ hot: true }),
    juryMajority: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.5)
      .describe('Share of the jury that must agree: an outcome wins with more than this share of the jurors (0.5: a simple majority).')
      .meta({ hot: true }),
    juryHours: z.number().positive().default(72).describe('Hours jurors have to vote; after that a moderator decides.').meta({ hot: true }),
    head: z
      .string()
      .default('moderation')
      .describe('Name of the village moderation head under <models.dir>/heads (`hamlet train moderation`); a version scores new cases only once an operator approved it.'),
  })
  .strict();

export type ModerationConfig = z.infer<typeof moderationSection>;
