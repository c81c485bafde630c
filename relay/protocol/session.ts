import { randomBytes } from 'node:crypto';
import type { ConnectionInfo } from '../policy.ts';
import type { Socket } from '../server/socket.ts';
import type { Subscription } from '../subscriptions/subscription.ts';
import { pTags } from '../nostr/tags.ts';
import type { NostrEvent } from '../nostr/types.ts';

let nextId = 1;

/**
 * One client connection: who it is (address, NIP-42 pubkeys), its subscriptions, and its
 * outbox. Frames queued during one turn are written together under a single cork.
 */
export class Session {
  readonly id = nextId++;
  readonly challenge = randomBytes(16).toString('hex');
  readonly authed = new Set<string>();
  readonly subs = new Map<string, Subscription<Session>>();
  /**
   * REQs still being admitted (policies are async), by subscription id. A CLOSE or a newer REQ with
   * the same id removes or replaces the entry, and the older REQ then ends without subscribing.
   */
  readonly pendingReqs = new Map<string, object>();
  readonly info: ConnectionInfo;
  readonly openedAt = Date.now();
  /** Rejections by prefix class, for one log line per class at close. */
  readonly rejections = new Map<string, number>();
  closed = false;
  /** EVENTs received and not yet answered (being verified, judged or written). */
  eventsInFlight = 0;
  private outbox: (string | Buffer)[] = [];

  constructor(
    readonly socket: Socket,
    readonly ip: string,
    readonly userAgent: string | undefined,
    private readonly scheduleFlush: (s: Session) => void,
    /** Rate-limited refusals in 10 s after which the connection is closed (limits.maxRateLimitedPer10s). */
    private readonly maxRateLimited: () => number,
  ) {
    this.info = { id: this.id, ip, authed: this.authed, userAgent };
  }

  send(frame: string | Buffer): void {
    if (this.closed) return;
    if (this.outbox.length === 0) this.scheduleFlush(this);
    this.outbox.push(frame);
  }

  /** Writes the outbox; returns the bytes still buffered afterwards. */
  flush(): number {
    if (this.closed || this.outbox.length === 0) return 0;
    const frames = this.outbox;
    this.outbox = [];
    this.socket.cork(() => {
      for (const f of frames) this.socket.send(f);
    });
    return this.socket.bufferedAmount();
  }

  noteRejection(message: string): void {
    const cls = message.slice(0, Math.max(0, message.indexOf(':'))) || 'other';
    this.rejections.set(cls, (this.rejections.get(cls) ?? 0) + 1);
    if (cls === 'rate-limited') this.noteRateLimited();
  }

  private limitedWindowStart = 0;
  private limitedInWindow = 0;

  /**
   * A client that goes on sending after maxRateLimited refusals in 10 s is cut off: answering
   * each of its frames would still cost the main thread what a neighbour needs (the connection
   * rate limit then bounds its reconnects).
   */
  private noteRateLimited(): void {
    const now = Date.now();
    if (now - this.limitedWindowStart > 10_000) {
      this.limitedWindowStart = now;
      this.limitedInWindow = 0;
    }
    if (++this.limitedInWindow === this.maxRateLimited()) this.socket.close(1008, 'rate-limited: too many refused messages');
  }

  /** NIP-42 read rule for restricted kinds: only the author or a p-tagged recipient. */
  mayRead(e: Pick<NostrEvent, 'pubkey' | 'tags'>): boolean {
    if (this.authed.size === 0) return false;
    if (this.authed.has(e.pubkey)) return true;
    return pTags(e).some((p) => this.authed.has(p));
  }
}
