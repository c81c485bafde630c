import type { Config } from '../config/schema.ts';
import type { ModerationConfig } from '../config/sections/moderation.ts';
import type { Moderator } from '../relay/management/moderator.ts';
import { toHexPubkey } from '../relay/nostr/keys.ts';
import type { FollowGraph } from '../relay/nostr/followGraph.ts';
import type { RelayServices } from '../relay/services.ts';
import type { Case } from './case.ts';
import type { CaseStore } from './caseStore.ts';
import type { Publisher } from './publisher.ts';
import type { RuleRef } from './rulebook.ts';

/**
 * Where village moderation writes its actions besides each case's own record: the relay's
 * decision log (policies/decisions.ts), handed in by the composition root.
 */
export interface DecisionSink {
  record(rec: {
    at: number;
    stage: 'write';
    action: 'reject' | 'label' | 'allow' | 'hide' | 'uphold' | 'overturn' | 'appeal';
    policy: string;
    rule?: string;
    reason?: string;
    eventId?: string;
    pubkey?: string;
    kind?: number;
    moderator?: string;
    model?: string;
    modelVersion?: string;
    score?: number;
  }): Promise<unknown>;
}

/** What the parts of village moderation share. */
export interface ModerationContext {
  services: RelayServices;
  cases: CaseStore;
  publisher: Publisher;
  graph: FollowGraph;
  /** The live config (hot keys apply). */
  config(): Config;
  relayUrl(): string;
  rules(): readonly RuleRef[];
  /** Hides a stored event (readers skip it; nothing is deleted). */
  hide(id: string): Promise<boolean>;
  /** The policy engine's moderator: releasing an event a policy held goes through its queue. */
  moderator?: Moderator;
  decisions?: DecisionSink;
  /** Unix ms. */
  now(): number;
  /** A case was opened: the approved moderation head scores its event (later). */
  opened(c: Case): void;
  /** Runs side effects (hiding, labels, messages) one after another, off the write path. */
  later(what: string, fn: () => Promise<void>): void;
}

export const moderationConfig = (ctx: ModerationContext): ModerationConfig => ctx.config().moderation;

/** Village members (hop distance ≤ memberHops from policies.members); undefined when no members are configured. */
export function villageMembers(ctx: ModerationContext): ReadonlySet<string> | undefined {
  const c = ctx.config();
  if (c.policies.members.length === 0) return undefined;
  return new Set(ctx.graph.hopsFromAny(c.policies.members.map(toHexPubkey), c.moderation.memberHops).keys());
}

