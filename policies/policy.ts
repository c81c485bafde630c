import type { z } from 'zod';
import type { Logger } from '../relay/log.ts';
import type { RelayServices } from '../relay/services.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type {
  AuthInput,
  BroadcastInput,
  ConnectionInput,
  Decision,
  Nip11Limitation,
  ReadDecision,
  ReadInput,
  WriteInput,
} from '../relay/policy.ts';
import type { Rulebook } from './rulebook.ts';
import type { TrustGraph } from './trust/graph.ts';

export type Stage = 'connection' | 'write' | 'read' | 'broadcast' | 'auth';
export const STAGES: readonly Stage[] = ['connection', 'write', 'read', 'broadcast', 'auth'];

type Maybe<T> = T | Promise<T>;

/**
 * A policy: one object answering any of the stages it cares about. A stage it has no method
 * for is a pass. Built-ins and operator files both produce these.
 */
export interface Policy {
  connection?(input: ConnectionInput): Maybe<Decision>;
  write?(input: WriteInput): Maybe<Decision>;
  read?(input: ReadInput): Maybe<ReadDecision>;
  /** Synchronous: it runs per (event, recipient) on the fan-out hot path. false vetoes. */
  broadcast?(input: BroadcastInput): boolean;
  auth?(input: AuthInput): Maybe<Decision>;
  /** After an event is durably stored. */
  committed?(event: NostrEvent): void;
  /**
   * What this policy refuses of every event or filter, as NIP-11 limitation fields (e.g. a tag
   * cap as max_event_tags), so the relay's NIP-11 document tells the truth. Only unconditional
   * limits belong here: one that depends on the author or the kind is not a relay-wide limit.
   */
  limits?(): Partial<Nip11Limitation>;
  close?(): void | Promise<void>;
}

/** What a policy factory may use besides its options. */
export interface PolicyContext {
  /** The entry's name (logs, decision records). */
  name: string;
  /** The operator policy directory (relative paths in options resolve against it). */
  dir: string;
  log: Logger;
  rulebook: Rulebook;
  /** Absent when the engine runs without a relay (unit tests, tools). */
  services?: RelayServices;
  /** Hop distances from the village's members over stored follow lists. */
  trust: TrustGraph;
  /** The village's toxicity model, when the relay has one. */
  classifier?: ToxicityClassifier;
  /** Builds nested entries (combinators). */
  build(entry: unknown, path: string): Promise<Policy>;
}

/** An operator file's default export: a factory, or a policy object used as is. */
export type PolicyFactory<O = Record<string, unknown>> = (options: O, ctx: PolicyContext) => Maybe<Policy>;
export type PolicyModule = PolicyFactory | Policy;

/** A built-in: a name, an options schema (typos in config fail loudly), and a factory. */
export interface BuiltinPolicy<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  options: S;
  create(options: z.output<S>, ctx: PolicyContext): Maybe<Policy>;
}

export const defineBuiltin = <S extends z.ZodType>(b: BuiltinPolicy<S>): BuiltinPolicy<S> => b;

/**
 * What the toxicity policy needs of a model: models/ Classifier (`info.id`, `info.version`)
 * or anything with `id` and `version` beside `classify`.
 */
export interface ToxicityClassifier {
  classify(texts: readonly string[]): Promise<Array<Record<string, number>>>;
  id?: string;
  version?: string;
  info?: { id: string; version: string };
}
