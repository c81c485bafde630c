import type { RootDatabase } from 'lmdb';
import type { Config } from '../config/schema.ts';
import type { Logger } from './log.ts';
import type { NostrEvent, Filter } from './nostr/types.ts';
import type { EventSource } from './policy.ts';

/** The result of publishing an event, as a client would see it in OK. */
export interface PublishResult {
  ok: boolean;
  /** "" or "<prefix>: <text>" exactly as sent in OK. */
  message: string;
}

/**
 * The narrow interface that policies, DVMs and tools get from the relay (DESIGN.md section 2):
 * read stored events, publish through the same pipeline as clients, and hear about commits.
 */
export interface RelayServices {
  readonly config: Config;
  readonly log: Logger;
  /** The LMDB environment; modules open their own named databases in it (decisions, embeddings). */
  readonly env: RootDatabase;
  /** Stored events matching any of the filters, newest first (limit per filter, as REQ). */
  query(filters: Filter[]): NostrEvent[];
  getById(id: string): NostrEvent | undefined;
  /** Publish an event through verification, policies and the writer (source tells policies who sent it). */
  publish(event: NostrEvent, source?: EventSource): Promise<PublishResult>;
  /** Listen for events after they are durably stored (and ephemeral events when broadcast). */
  onCommitted(listener: (event: NostrEvent) => void): () => void;
  /** Releases a held event: it becomes visible and is broadcast; false if it was not held. */
  releaseHeld(id: string): Promise<boolean>;
  /** Remove a stored event for good (moderation); false if absent. */
  removeEvent(id: string): Promise<boolean>;
  /**
   * Whether the village's models (feeds, tags, labels, digests, datasets) may read this event:
   * false for events of a NIP-29 group that has not opted in. True for everything else until a
   * capability sets the rule (groups/ does, through setModelReadRule).
   */
  modelMayRead(event: NostrEvent): boolean;
  setModelReadRule(rule: (event: NostrEvent) => boolean): void;
}
