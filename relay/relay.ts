import type { Config } from '../config/schema.ts';
import { refusal, type ConnectionInfo, type EventSource, type PolicyEngine } from './policy.ts';
import type { Logger } from './log.ts';
import type { NostrEvent } from './nostr/types.ts';
import { Ingest, type IngestResult } from './ingest.ts';
import type { Replicator, SubmitOptions } from './replication.ts';
import { Monitor } from './subscriptions/monitor.ts';
import { CommitHooks, type CommitListener } from './subscriptions/commitHooks.ts';
import { Fanout } from './subscriptions/fanout.ts';
import { OutboxScheduler } from './protocol/outbox.ts';
import { Session } from './protocol/session.ts';
import type { ProtocolContext } from './protocol/context.ts';
import { authFrame, noticeFrame } from './protocol/frames.ts';
import { dispatch } from './protocol/dispatch.ts';
import type { Socket } from './server/socket.ts';
import { resolveClientIp, type TransportHost } from './server/transport.ts';
import type { Store } from './store/store.ts';
import type { VerifyPool } from './verify/pool.ts';
import { connections, slowClientTerminations } from './metrics/registry.ts';

/**
 * The relay's shared state: sessions, live subscriptions, the ingest path, and fan-out.
 * Transports hand it sockets and frames (TransportHost); handlers see it as a ProtocolContext.
 * It knows nothing of uWS or ws.
 */
export class Relay implements ProtocolContext, TransportHost {
  readonly monitor = new Monitor<Session>();
  readonly sessions = new Set<Session>();
  readonly ingest: Ingest;
  readonly hooks: CommitHooks;
  private readonly fanout: Fanout;
  private readonly outbox: OutboxScheduler;
  private policiesRef: PolicyEngine;
  private configRef: Config;
  private replicatorRef: Replicator | undefined;
  /** The pubkey the relay signs its own events with (NIP-11 `self`: NIP-29 group state), once a capability keeps one. */
  self?: string;

  constructor(
    config: Config,
    readonly log: Logger,
    readonly store: Store,
    readonly verify: VerifyPool,
    policies: PolicyEngine,
  ) {
    this.configRef = config;
    this.policiesRef = policies;
    this.outbox = new OutboxScheduler(() => this.configRef.limits.maxOutboundBytes, (s, buffered) => {
      this.log.warn({ conn: s.id, ip: s.ip, buffered }, 'closing slow consumer: outbound buffer over limit');
      slowClientTerminations.inc();
      s.socket.close(1008, 'slow consumer: outbound buffer over limit');
    });
    this.hooks = new CommitHooks(log, () => {
      const p = this.policiesRef;
      return p.committed && ((e) => p.committed!(e));
    });
    this.fanout = new Fanout(this.monitor, () => this.configRef, () => this.policiesRef, this.hooks);
    this.ingest = new Ingest({ config: () => this.configRef, log, store, verify, policies: () => this.policiesRef, fanout: this.fanout, replicator: () => this.replicatorRef });
  }

  get config(): Config {
    return this.configRef;
  }
  get policies(): PolicyEngine {
    return this.policiesRef;
  }
  setPolicies(p: PolicyEngine): void {
    this.policiesRef = p;
  }
  /** The step between commit and OK for a cluster node (cluster/); undefined: a single relay. */
  setReplicator(r: Replicator | undefined): void {
    this.replicatorRef = r;
  }
  /** Hot-reloadable keys take effect for the next message. */
  setConfig(c: Config): void {
    this.configRef = c;
  }

  /** The URL clients must name in NIP-42 AUTH and NIP-62 requests. */
  get url(): string {
    const r = this.configRef.relay;
    return r.url || `ws://${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`;
  }

  submit(raw: unknown, source: EventSource, conn?: ConnectionInfo, opts?: SubmitOptions): Promise<IngestResult> {
    return this.ingest.submit(raw, source, conn, opts);
  }

  clientIp(socketIp: string, header: (name: string) => string | undefined): string {
    return resolveClientIp(this.configRef.relay, this.log, socketIp, header);
  }

  /** Runs the connection-stage policy; returns a refusal reason, or undefined to admit. */
  async admit(ip: string, userAgent: string | undefined): Promise<string | undefined> {
    try {
      return refusal(await this.policiesRef.connection({ ip, userAgent }));
    } catch (err) {
      this.log.error({ err, ip }, 'connection policy failed; admitting');
      return undefined;
    }
  }

  open(socket: Socket, ip: string, userAgent?: string): Session {
    const s = new Session(socket, ip, userAgent, this.outbox.schedule, () => this.config.limits.maxRateLimitedPer10s);
    this.sessions.add(s);
    connections.inc();
    this.log.info({ conn: s.id, ip, ua: userAgent }, 'connection open');
    s.send(authFrame(s.challenge));
    return s;
  }

  message(s: Session, text: string): void {
    dispatch(this, s, text).catch((err: unknown) => {
      this.log.error({ err, conn: s.id }, 'message handler failed');
      s.send(noticeFrame('error: internal error while handling your message'));
    });
  }

  close(s: Session): void {
    if (s.closed) return;
    s.closed = true;
    connections.dec();
    for (const sub of s.subs.values()) this.monitor.remove(sub);
    s.subs.clear();
    this.sessions.delete(s);
    const rejected = Object.fromEntries(s.rejections);
    this.log.info({ conn: s.id, ip: s.ip, seconds: Math.round((Date.now() - s.openedAt) / 1000), rejected }, 'connection closed');
  }

  /** Delivers an event made visible outside the ingest path (a released held event), on every node of a cluster. */
  broadcast(event: NostrEvent, json: string): void {
    this.fanout.deliver(event, json);
    // Held events never went to the stream; a failed publish is kept for later by the replicator.
    this.replicatorRef?.publish(event, json).catch(() => undefined);
  }

  onCommitted(listener: CommitListener): () => void {
    return this.hooks.add(listener);
  }

  /** Resolves once every event received is written and through the after-commit hooks. */
  async drain(): Promise<void> {
    await this.ingest.drain();
    await this.store.writer.drain();
    await this.hooks.drain();
  }
}
