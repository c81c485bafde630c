import type { Config } from '../../config/schema.ts';
import type { IngestResult } from '../ingest.ts';
import type { Logger } from '../log.ts';
import type { ConnectionInfo, EventSource, PolicyEngine } from '../policy.ts';
import type { Store } from '../store/store.ts';
import type { Monitor } from '../subscriptions/monitor.ts';
import type { VerifyPool } from '../verify/pool.ts';
import type { Session } from './session.ts';

/**
 * What the protocol handlers use of the relay. Handlers take this, never the Relay class, so the
 * relay can import its dispatcher without an import loop back to itself.
 */
export interface ProtocolContext {
  readonly config: Config;
  readonly policies: PolicyEngine;
  readonly log: Logger;
  readonly store: Store;
  /** Live subscriptions (REQ adds, CLOSE removes). */
  readonly monitor: Monitor<Session>;
  readonly verify: VerifyPool;
  /** The URL clients must name in NIP-42 AUTH. */
  readonly url: string;
  /** The ingest path of an EVENT (verification, policies, writer, fan-out). */
  submit(raw: unknown, source: EventSource, conn?: ConnectionInfo): Promise<IngestResult>;
}
