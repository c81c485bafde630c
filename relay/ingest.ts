import type { ConnectionInfo, EventSource, PolicyEngine } from './policy.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from './log.ts';
import type { NostrEvent } from './nostr/types.ts';
import type { PublishResult } from './services.ts';
import type { Replicator, SubmitOptions } from './replication.ts';
import type { Store } from './store/store.ts';
import type { VerifyPool } from './verify/pool.ts';
import { checkEventShape, pickEvent } from './nostr/validate.ts';
import { serialise } from './nostr/canonical.ts';
import { expirationOf, isProtected } from './nostr/tags.ts';
import { isHex64 } from './nostr/hex.ts';
import { isEphemeral, KIND_AUTH, KIND_GENERIC_REPOST, KIND_REPOST, PRIVATE_KINDS } from './nostr/kinds.ts';
import { BAD_ID, BAD_SIG } from './verify/worker.ts';
import { countIngest, countStored, rejectedEvents } from './metrics/registry.ts';

export interface IngestResult extends PublishResult {
  id?: string;
}

export interface IngestDeps {
  config: () => Config;
  log: Logger;
  store: Store;
  verify: VerifyPool;
  policies: () => PolicyEngine;
  /** Delivery of an accepted event (stored or ephemeral) to subscribers and hooks. */
  fanout: { deliver(event: NostrEvent, json: string): void };
  /** The after-commit step awaited before OK (a cluster node's stream); none on a single relay. */
  replicator?: () => Replicator | undefined;
}

const INTERNAL_CONN: ConnectionInfo = { id: 0, ip: '127.0.0.1', authed: new Set<string>() };

/**
 * A `["-"]` tag anywhere in JSON text, with any whitespace and `\u002d` escapes: a repost whose
 * content holds one carries a protected event, however it is wrapped or padded. Inside a JSON
 * string the quotes would be escaped (`\"`), so text that merely mentions the tag never matches.
 */
const PROTECTED_TAG_IN_JSON = /\[\s*"(?:-|\\u002[dD])"\s*\]/;

/** Where a repost points: `e` ids and `a` addresses (kind:pubkey:d). */
function repostTargets(e: NostrEvent): { ids: string[]; addresses: { kind: number; pubkey: string; d: string }[] } {
  const ids: string[] = [];
  const addresses: { kind: number; pubkey: string; d: string }[] = [];
  for (const t of e.tags) {
    if (t[0] === 'e' && isHex64(t[1])) ids.push(t[1]);
    else if (t[0] === 'a' && t[1]) {
      const [kind, pubkey, ...d] = t[1].split(':');
      if (isHex64(pubkey) && /^\d{1,5}$/.test(kind ?? '')) addresses.push({ kind: Number(kind), pubkey, d: d.join(':') });
    }
  }
  return { ids, addresses };
}
/**
 * The path of a published event: shape and limits, NIP-40/42/70 rules, duplicate check,
 * id and signature on the verifier pool, the write policies, then the writer (or straight to
 * subscribers for ephemeral kinds). The answer is what the client sees in OK.
 */
export class Ingest {
  private readonly inFlight = new Map<string, Promise<IngestResult>>();

  constructor(private readonly deps: IngestDeps) {}

  submit(raw: unknown, source: EventSource, conn?: ConnectionInfo, opts: SubmitOptions = {}): Promise<IngestResult> {
    return this.admit(raw, source, conn, opts).then((r) => {
      countIngest(r.ok, r.message);
      return r;
    });
  }

  private async admit(raw: unknown, source: EventSource, conn: ConnectionInfo | undefined, opts: SubmitOptions): Promise<IngestResult> {
    const config = this.deps.config();
    const now = Math.floor(Date.now() / 1000);
    const shapeError = checkEventShape(raw, config.limits, now);
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? ((raw as { id: string }).id) : undefined;
    if (shapeError) return { id, ok: false, message: shapeError };
    const event = pickEvent(raw as Record<string, unknown>);
    const early = this.precheck(event, config, now, source, conn);
    if (early) return { id: event.id, ...early };
    if (this.deps.store.has(event.id)) return { id: event.id, ok: true, message: 'duplicate: already have this event' };
    const pending = this.inFlight.get(event.id);
    if (pending) {
      const r = await pending;
      return r.ok ? { ...r, message: 'duplicate: already have this event' } : r;
    }
    const replicator = opts.replica ? undefined : this.deps.replicator?.();
    const refused = replicator?.refusal();
    if (refused) return { id: event.id, ok: false, message: refused };
    const work = this.process(event, source, conn, replicator, opts.replica === true || opts.skipPolicies === true);
    this.inFlight.set(event.id, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(event.id);
      if (this.inFlight.size === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  private readonly idle: (() => void)[] = [];

  /** Resolves once every event already received has been verified, judged and handed to the writer. */
  drain(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private precheck(e: NostrEvent, config: Config, now: number, source: EventSource, conn?: ConnectionInfo): PublishResult | undefined {
    if (e.kind === KIND_AUTH) return { ok: false, message: 'invalid: AUTH events (kind 22242) are sent with AUTH, never published' };
    const exp = expirationOf(e);
    if (exp !== 0 && now >= exp) return { ok: false, message: 'invalid: event has expired' };
    if (source !== 'client') return undefined;
    if (config.nips.authRequired && conn && conn.authed.size === 0) {
      return { ok: false, message: 'auth-required: this relay requires authentication' };
    }
    if (isProtected(e)) {
      if (!config.nips.protectedEvents) return { ok: false, message: 'blocked: protected events are not accepted here' };
      if (!conn || conn.authed.size === 0) return { ok: false, message: 'auth-required: this event may only be published by its author' };
      if (!conn.authed.has(e.pubkey)) return { ok: false, message: 'restricted: this event may only be published by its author' };
    }
    if (this.repostsProtected(e, now)) return { ok: false, message: 'blocked: reposts of protected events are not allowed' };
    return undefined;
  }

  /**
   * NIP-70 holds for reposts too (NIP-18 kinds 6 and 16): refused when the content carries a
   * protected event, or when an event it points at, stored here, is protected.
   */
  private repostsProtected(e: NostrEvent, now: number): boolean {
    if (e.kind !== KIND_REPOST && e.kind !== KIND_GENERIC_REPOST) return false;
    if (PROTECTED_TAG_IN_JSON.test(e.content)) return true;
    const { store } = this.deps;
    const { ids, addresses } = repostTargets(e);
    for (const id of ids) {
      const rec = store.getById(id);
      if (rec && isProtected(rec.event())) return true;
    }
    for (const a of addresses) {
      const filter = { kinds: [a.kind], authors: [a.pubkey], tags: new Map([['d', [a.d]]]), limit: 1 };
      if (store.query([filter], { now, includeHeld: true }).some((rec) => isProtected(rec.event()))) return true;
    }
    return false;
  }

  private async process(event: NostrEvent, source: EventSource, conn: ConnectionInfo | undefined, replicator: Replicator | undefined, judged: boolean): Promise<IngestResult> {
    const { hashInput, json } = serialise(event);
    const code = await this.deps.verify.check(event, hashInput);
    if (code === BAD_ID) return { id: event.id, ok: false, message: 'invalid: event id does not match its content' };
    if (code === BAD_SIG) return { id: event.id, ok: false, message: 'invalid: bad signature' };

    // A replica was judged by the node that accepted it.
    const decision = judged ? ({ action: 'accept' } as const) : await this.deps.policies().write({ event, conn: conn ?? INTERNAL_CONN, source, receivedAt: Date.now() });
    if (decision.action === 'reject') return { id: event.id, ok: false, message: decision.reason };
    if (decision.action === 'shadowReject') rejectedEvents.inc();
    if (decision.action === 'shadowReject') return { id: event.id, ok: true, message: '' };
    const held = decision.action === 'hold';

    if (isEphemeral(event.kind)) {
      // Never stored, so the writer's tombstone check never sees them (ephemeral gift wraps).
      const deleted = this.deps.store.tombstoned(event);
      if (deleted) return { id: event.id, ok: false, message: deleted };
      this.deps.fanout.deliver(event, json);
      return this.replicated(event, json, replicator, { id: event.id, ok: true, message: '' });
    }
    try {
      const outcome = await this.deps.store.store(event, json, held);
      if (outcome.status === 'stored') {
        countStored(event.kind, PRIVATE_KINDS.includes(event.kind) || this.deps.config().nips.restrictedKinds.includes(event.kind));
        if (held) return { id: event.id, ok: true, message: `info: ${decision.reason}` };
        this.deps.fanout.deliver(event, json);
        return await this.replicated(event, json, replicator, { id: event.id, ok: true, message: '' });
      }
      return { id: event.id, ok: outcome.status === 'duplicate', message: outcome.message };
    } catch (err) {
      this.deps.log.error({ err, id: event.id }, 'write failed');
      return { id: event.id, ok: false, message: 'error: could not store the event; try again later' };
    }
  }

  /** The OK once the replicator (if any) has the event; stored here either way, so a retry is cheap. */
  private async replicated(event: NostrEvent, json: string, replicator: Replicator | undefined, ok: IngestResult): Promise<IngestResult> {
    if (!replicator) return ok;
    try {
      await replicator.publish(event, json);
      return ok;
    } catch (err) {
      return { id: event.id, ok: false, message: `error: ${(err as Error).message}; try again later` };
    }
  }
}
