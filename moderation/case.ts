import type { ReportType } from '../config/sections/moderation.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';

/** What a decision does to the reported event: uphold keeps it hidden, overturn restores it. */
export type Outcome = 'uphold' | 'overturn';
export const OUTCOMES: readonly Outcome[] = ['uphold', 'overturn'];

/** Who decided: weighted reports (provisional), a policy (held on arrival), a moderator, a jury. */
export type DecidedBy = 'reports' | 'policy' | 'moderator' | 'jury';

/** open: provisional, waiting for a moderator; decided: appealable; appealed: a jury sits; final. */
export type CaseStatus = 'open' | 'decided' | 'appealed' | 'final';

/** hidden: readers do not get the event (never deleted); flagged: labelled only. */
export type Visibility = 'visible' | 'hidden' | 'flagged';

export interface CaseReport {
  /** The kind 1984 event. */
  id: string;
  reporter: string;
  type: ReportType;
  /** The reporter's weight when the report came (their track record then). */
  weight: number;
  /** Unix ms. */
  at: number;
  note: string;
}

/** Every action on a case, with who and when: the case's own record. */
export interface CaseAction {
  at: number;
  /** A pubkey, "cli", "reports", "policy:<name>", "jury". */
  by: string;
  action: 'report' | 'open' | 'score' | 'erase' | 'hide' | 'flag' | 'restore' | 'decide' | 'appeal' | 'jury' | 'vote' | 'verdict' | 'label' | 'notify';
  detail?: string;
  /** An event that carries the action (report, label, receipt, vote). */
  eventId?: string;
}

export interface Vote {
  vote: Outcome;
  /** The kind 4562 event. */
  id: string;
  at: number;
}

export interface Appeal {
  /** The kind 4560 event. */
  id: string;
  at: number;
  reason: string;
  /** The kind 4561 receipt signed by the moderation key. */
  receiptId?: string;
  /** Drawn jurors (pubkeys) and how many communities they came from. */
  jury: string[];
  communities: number;
  /** Unix ms after which a moderator decides. */
  deadline: number;
  votes: Record<string, Vote>;
}

export interface Decision {
  outcome: Outcome;
  rule: string;
  rulebookVersion: string;
  by: DecidedBy;
  /** The moderator's pubkey or name, when a moderator decided. */
  moderator?: string;
  note?: string;
  at: number;
  /** The kind 1985 label that published it. */
  labelId?: string;
  /** Unix ms; the author may appeal until then (moderator decisions only). */
  appealUntil?: number;
}

/** Where a model or a policy spoke when the case opened. */
export interface CaseEvidence {
  policy?: string;
  reason?: string;
  model?: string;
  modelVersion?: string;
  score?: number;
}

/** One case per reported or held event; its id is the event's id. */
export interface Case {
  id: string;
  event: NostrEvent;
  /** The NIP-29 group the event was posted in (its `h` tag): that group's admins and moderators may decide the case. */
  group?: string;
  openedAt: number;
  origin: 'reports' | 'policy';
  /** The rule cited (by the first report's type, or the holding policy) and the rulebook version then. */
  rule: string;
  rulebookVersion: string;
  evidence?: CaseEvidence;
  reports: CaseReport[];
  /** Sum of the reports' weights. */
  weight: number;
  status: CaseStatus;
  visibility: Visibility;
  /** The decisions in order: a moderator's, then a jury's (or a moderator's after a timeout). */
  decisions: Decision[];
  appeal?: Appeal;
  /** The outcome counted in the reporters' track records (a later decision replaces it). */
  counted?: Outcome;
  actions: CaseAction[];
}

export const lastDecision = (c: Case): Decision | undefined => c.decisions[c.decisions.length - 1];
