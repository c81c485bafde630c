import type { NostrEvent } from './nostr/types.ts';

/**
 * An awaited step between the durable commit and the OK (the cluster's shared stream, cluster/):
 * a node acknowledges an event only once it is stored here and handed on. Unset on a single
 * relay, where nothing waits for it.
 */
export interface Replicator {
  /** A reason to refuse a new event before anything is stored (the stream is unreachable), as sent in OK. */
  refusal(): string | undefined;
  /** Hands on an accepted event (stored, or ephemeral); rejects when it could not, and the client is told to retry. */
  publish(event: NostrEvent, json: string): Promise<void>;
}

/** How an event entered: from a client or tool (judged, then replicated), or a copy of one another node accepted. */
export interface SubmitOptions {
  /**
   * A copy of an event another node (or a cluster peer's NIP-77 answer) already accepted: verified
   * and stored, never judged by the write policies again and never replicated back.
   */
  replica?: boolean;
  /** Stored without the write policies but replicated as usual (a mirror whose operator trusts the other relay's judgement). */
  skipPolicies?: boolean;
}
