/** Village moderation: reports → cases → signed decisions → appeals and juries (docs/moderation.md). */
export { VillageModeration, type VillageOptions } from './village.ts';
export { DecisionRefused, type DecideInput } from './decide.ts';
export type { Case, CaseStatus, Outcome, Visibility, Decision as CaseDecision, Appeal } from './case.ts';
export type { DecisionSink } from './context.ts';
export { DECISION_NAMESPACE } from './labels.ts';
export { reporterWeight, type TrackRecord } from './weight.ts';
export { loadOrCreateModerationKey, moderationKeyFile } from './key.ts';
export { moderationStats, type ModerationStats } from './stats.ts';
export { HeadRegistry, type HeadVersion } from './headRegistry.ts';
export { trainModerationHead, outcomes, isFinal, type TrainedVersion } from './training.ts';
export { caseMethods } from './methods.ts';
