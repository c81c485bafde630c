import type { Config } from '../config/schema.ts';
import type { PolicyEngine } from './policy.ts';
import type { Logger } from './log.ts';
import type { NostrEvent } from './nostr/types.ts';
import { Ingest } from './ingest.ts';
import { Monitor } from './subscriptions/monitor.ts';
import { OutboxScheduler } from './protocol/outbox.ts';
import { Session } from './protocol/session.ts';
import { authFrame, noticeFrame } from './protocol/frames.ts';
import { EventFrames } from './subscriptions/eventFrames.ts';
import { dispatch } from './protocol/dispatch.ts';
import type { Socket } from './server/socket.ts';
import type { Store } from './store/store.ts';
import type { VerifyPool } from './verify/pool.ts';
import { connections, slowClientTerminations } from './metrics/registry.ts';

/**
 * The relay's shared state: sessions, live subscriptions, the ingest path, and fan-out.
 * Transports hand it sockets and frames; it knows nothing of uWS or ws.
 */
export class Relay {
  readonly monitor = new Monitor<Session>();
  readonly sessions = new Set<Session>();
  readonly ingest: Ingest;
  private readonly outbox: OutboxScheduler;
  private readonly committedListeners = new Set<(e: NostrEvent) => void>();
  private policiesRef: PolicyEngine;
  private configRef: Config;

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
    this.ingest = new Ingest({
      config: () => this.configRef,
      log,
      store,
      verify,
      policies: () => this.policiesRef,
      broadcast: (e, json) => this.broadcast(e, json),
    });
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
  /** Hot-reloadable keys take effect for the next message. */
  setConfig(c: Config): void {
    this.configRef = c;
  }

  /** The URL clients must name in NIP-42 AUTH and NIP-62 requests. */
  get url(): string {
    const r = this.configRef.relay;
    return r.url || `ws://${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`;
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

  /** Delivers an accepted event to every live subscription that wants it and may see it. */
  broadcast(event: NostrEvent, json: string): void {
    const subs = this.monitor.match(event);
    if (subs.length > 0) {
      const restricted = this.configRef.nips.restrictedKinds.includes(event.kind);
      const policies = this.policiesRef;
      const frames = new EventFrames(Buffer.from(json));
      for (const sub of subs) {
        const s = sub.owner;
        if (restricted && !s.mayRead(event)) continue;
        if (!policies.broadcast({ event, recipient: s.info, subId: sub.id })) continue;
        s.send(frames.for(sub.id));
      }
      frames.done();
    }
    this.policiesRef.committed?.(event);
    for (const listener of this.committedListeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err }, 'committed-event listener failed');
      }
    }
  }

  onCommitted(listener: (e: NostrEvent) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }
}
