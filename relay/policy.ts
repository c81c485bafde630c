import type { Config } from '../config/schema.ts';
import type { Moderator } from './management/moderator.ts';
import type { NostrEvent, Filter } from './nostr/types.ts';
import type { StoredRecord } from './store/record.ts';

/**
 * The policy interface the relay owns and calls (as khatru's relay owns its hook slices):
 * what it asks at each stage, and what an engine may answer. policies/ implements it.
 * Reasons carry a NIP-01 prefix ("blocked: ...", "rate-limited: ..."); `rule` names an entry
 * of the village rulebook so every decision can be explained and contested.
 */
export interface Label {
  namespace: string;
  value: string;
  score?: number;
}

/** Where a model took part in a decision, for the decision record. */
export interface DecisionEvidence {
  model?: string;
  modelVersion?: string;
  score?: number;
}

export type Decision =
  | { action: 'accept' }
  | { action: 'reject' | 'shadowReject'; reason: string; rule?: string; evidence?: DecisionEvidence }
  | { action: 'label'; labels: Label[]; rule?: string; evidence?: DecisionEvidence }
  | { action: 'hold'; reason: string; rule?: string; evidence?: DecisionEvidence };

/** Read stage may also rewrite the filters it was given (cap limits, drop scraping filters). */
export type ReadDecision = Decision | { action: 'rewrite'; filters: Filter[]; rule?: string };

/** What a policy may know about the connection it judges. */
export interface ConnectionInfo {
  /** Process-unique connection number. */
  id: number;
  ip: string;
  /** Pubkeys this connection has authenticated as (NIP-42). */
  authed: ReadonlySet<string>;
  userAgent?: string;
}

export type EventSource = 'client' | 'import' | 'sync' | 'internal';

export interface ConnectionInput {
  ip: string;
  userAgent?: string;
}
export interface WriteInput {
  event: NostrEvent;
  conn: ConnectionInfo;
  source: EventSource;
  /** Unix ms when the relay received the event. */
  receivedAt: number;
}
export interface ReadInput {
  verb: 'REQ' | 'COUNT';
  subId: string;
  filters: Filter[];
  conn: ConnectionInfo;
}
export interface BroadcastInput {
  event: NostrEvent;
  recipient: ConnectionInfo;
  subId: string;
}
export interface AuthInput {
  pubkey: string;
  conn: ConnectionInfo;
}

/** NIP-11 `limitation` fields: what the relay refuses, advertised so clients need not find out. */
export interface Nip11Limitation {
  max_message_length: number;
  max_subscriptions: number;
  max_limit: number;
  default_limit: number;
  max_subid_length: number;
  max_event_tags: number;
  max_content_length: number;
  min_pow_difficulty: number;
  auth_required: boolean;
  payment_required: boolean;
  restricted_writes: boolean;
  created_at_lower_limit: number;
  created_at_upper_limit: number;
}

/**
 * What the relay calls. Broadcast is synchronous: it runs once per (event, recipient) on the
 * fan-out hot path. Everything else may be async; the engine owns time budgets and fail modes.
 */
export interface PolicyEngine {
  connection(input: ConnectionInput): Decision | Promise<Decision>;
  write(input: WriteInput): Decision | Promise<Decision>;
  read(input: ReadInput): ReadDecision | Promise<ReadDecision>;
  /** false vetoes delivery of this event to this recipient. */
  broadcast(input: BroadcastInput): boolean;
  auth(input: AuthInput): Decision | Promise<Decision>;
  /** Called after an event is durably stored (web of trust, flood counters, labelers). */
  committed?(event: NostrEvent): void;
  /** Authors whose stored events readers must not see (moderator bans); undefined when none are. */
  hiddenAuthors?(): ReadonlySet<string> | undefined;
  /**
   * Stored events this connection must not read (private NIP-29 groups): a test per record for one
   * REQ, COUNT or NEG-OPEN, true to hide; undefined when nothing is hidden from it. Live delivery uses `broadcast`.
   */
  hiddenFrom?(conn: ConnectionInfo): ((rec: StoredRecord) => boolean) | undefined;
  /** Applies a changed `policies` config section (hot reload); on error the old pipelines stay. */
  reconfigure?(config: Config['policies']): Promise<void>;
  /**
   * The limits the policies apply to every event or filter, as NIP-11 fields; NIP-11 advertises
   * the stricter of these and the relay's own. Only fields the policies enforce are present.
   */
  limits?(): Partial<Nip11Limitation>;
  /** Ban lists and the hold queue, for NIP-86; absent when the engine has none. */
  readonly moderator?: Moderator;
  close?(): Promise<void>;
}

/** The reason of a decision that refuses (reject, shadow reject or hold), else undefined. */
export function refusal(d: Decision | ReadDecision): string | undefined {
  return d.action === 'reject' || d.action === 'shadowReject' || d.action === 'hold' ? d.reason : undefined;
}

const ACCEPT: Decision = Object.freeze({ action: 'accept' });

/** The engine used when no policies are configured: everything passes. */
export const acceptAll: PolicyEngine = {
  connection: () => ACCEPT,
  write: () => ACCEPT,
  read: () => ACCEPT,
  broadcast: () => true,
  auth: () => ACCEPT,
};
