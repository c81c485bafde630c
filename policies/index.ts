import type { RelayServices } from '../relay/services.ts';
import { buildEngine, type EngineOptions, type HamletPolicyEngine } from './engine.ts';

/**
 * The moderation policies the relay runs, built from `config.policies`: pipelines of built-ins,
 * combinators, strfry plugins and operator files (hot-reloaded), with decision records and the
 * moderation queue in the relay's LMDB.
 */
export async function createPolicyEngine(services: RelayServices, options: EngineOptions = {}): Promise<HamletPolicyEngine> {
  return buildEngine(services, options);
}

export type { EngineOptions, HamletPolicyEngine, PoliciesConfig } from './engine.ts';
export type { Policy, PolicyContext, PolicyFactory, PolicyModule, Stage, BuiltinPolicy } from './policy.ts';
export type { DecisionRecord, DecisionQuery } from './decisions.ts';
export type { HeldEntry, BanEntry, ModeratorAction } from './moderation.ts';
export type { LoadError } from './loader.ts';
export type { Rule, Rulebook } from './rulebook.ts';
export type { ToxicityClassifier } from './policy.ts';
export type * from '../relay/policy.ts';
export { builtins } from './builtin/index.ts';
export { describeBuiltins, type BuiltinDoc, type OptionDoc } from './describe.ts';
export { loadRulebook, parseRulebook, DEFAULT_RULEBOOK_PATH } from './rulebook.ts';
export { withPrefix, act, ACCEPT } from './decide.ts';
