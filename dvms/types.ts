import type { NostrEvent } from '../relay/nostr/types.ts';
import type { RelayServices } from '../relay/services.ts';

/** How a request reached a DVM: in-process from the home relay, or from a remote relay's URL. */
export type JobSource = { from: 'home' } | { from: 'remote'; url: string };

export type Encryption = 'nip04' | 'nip44';

/** One `i` tag: `["i", value, type, relay?, marker?]`. */
export interface JobInput {
  value: string;
  type: string;
  relay?: string;
  marker?: string;
}

/** A job request after decryption and parsing: what a handler sees. */
export interface JobRequest {
  event: NostrEvent;
  kind: number;
  customer: string;
  inputs: JobInput[];
  /** Every `param` tag: key → values (a key may repeat, and a value may have several elements). */
  params: Map<string, string[][]>;
  relays: string[];
  output?: string;
  encrypted?: Encryption;
  source: JobSource;
}

/** What a handler returns: the result content and extra result tags. */
export interface JobOutput {
  content: string;
  tags?: string[][];
}

/** A documented, typed parameter, as announced in `nip90Params` (clients render settings from it). */
export interface ParamDoc {
  required: boolean;
  type: 'integer' | 'number' | 'boolean' | 'string' | 'string[]' | 'pubkey' | 'enum';
  values?: string[];
  default?: string;
  /** Range of a number or integer param (inclusive). */
  min?: number;
  max?: number;
  description: string;
}

export interface JobContext {
  services: RelayServices;
  /** ws:// URL of the home relay (relay hints in results). */
  relayUrl: string;
  /** True once the customer cancelled (kind 5): stop early, nothing is published. */
  cancelled(): boolean;
}

/**
 * One announced DVM: a job kind with its own key and NIP-89 announcement. The feeds are
 * several of these (one per algorithm); the tagging DVM (issue 6) is another.
 */
export interface DvmSpec {
  /** Stable id: names the key file and the announcement's `d` tag. */
  id: string;
  kind: number;
  name: string;
  about: string;
  personalized: boolean;
  params: Record<string, ParamDoc>;
  /** Extra content fields for the announcement (reason texts, model in use, …). */
  extra?: Record<string, unknown>;
  /** Extra tags for the announcement (e.g. `t` topics). */
  tags?: string[][];
  /** Whether this DVM takes a request that names no SP (`p`): one per kind should. */
  takesUnaddressed: boolean;
  handle(job: JobRequest, ctx: JobContext): Promise<JobOutput>;
}

/** A handler's refusal of bad input: sent as `error` feedback with this text. */
export class JobError extends Error {}
