import type { Relay } from '../relay/relay.ts';
import type { RelayServices } from '../relay/services.ts';
import type { HamletPolicyEngine } from '../policies/index.ts';
import type { VillageModeration } from '../moderation/index.ts';
import type { RunningDvms } from '../dvms/index.ts';

/** What a running relay tells about itself (cli/hamlet.ts's StartSummary, read once it exists). */
export interface RunningSummary {
  transport: string;
  verifier: string;
  dataDir: string;
  policies?: Record<string, string[]>;
  dvms: { name: string; kind: number }[];
  labeler: boolean;
  models?: { embedding: string; toxicity: string; usedBy: string[] };
}

/**
 * What the pages read. The composition root (cli/hamlet.ts) hands these over; the parts that
 * start after the routes exist (DVMs, the start summary) are read through functions.
 */
export interface PagesSources {
  relay: Relay;
  services: RelayServices;
  /** The village's policy engine, when it runs (a custom engine has no decision log). */
  engine?: HamletPolicyEngine;
  moderation?: VillageModeration;
  dvms: () => RunningDvms | undefined;
  summary: () => RunningSummary | undefined;
  /** Figures of the data directory (cli/tools/stats.ts): events, authors, disk. */
  storage: () => unknown;
}
