import WebSocket from 'ws';
import { LRUCache } from 'lru-cache';
import type { MirrorConfig } from '../config/sections/streams.ts';
import type { Logger } from '../relay/log.ts';
import type { IngestResult } from '../relay/ingest.ts';
import type { Filter, NostrEvent } from '../relay/nostr/types.ts';
import { matchFilter } from '../relay/nostr/filter.ts';
import type { Store } from '../relay/store/store.ts';
import { syncWithRelay } from '../relay/sync/client.ts';
import { mirrorConnected, mirrorEvents } from '../relay/metrics/registry.ts';

export interface MirrorLinkOptions {
  mirror: MirrorConfig;
  filter: Filter;
  url: string;
  store: Store;
  log: Logger;
  /** What is asked of the relay: the filter without the private kinds (they are never read on our behalf). */
  downFilter: Filter | undefined;
  /** Stores an event from the other relay (through the write policies, or not, as the stream says). */
  submit: (raw: unknown) => Promise<IngestResult>;
  /** Whether an event stored here may leave for another relay (never DMs, gift wraps, protected events). */
  mayLeave: (event: NostrEvent) => boolean;
  reconnectMinSeconds: number;
  reconnectMaxSeconds: number;
  upQueueMax: number;
  /** The last contact with this relay, kept across restarts (the REQ fallback for relays without NIP-77). */
  lastContact: () => number | undefined;
  onChange: () => void;
}

/** What `hamlet stats` and the logs say about one stream to one relay. */
export interface MirrorLinkStatus {
  stream: string;
  relay: string;
  direction: MirrorConfig['direction'];
  connected: boolean;
  /** Unix seconds. */
  connectedSince?: number;
  lastContact?: number;
  lastError?: string;
  failures: number;
  catchUp?: { at: number; via: 'nip77' | 'req'; fetched: number; sent: number; seconds: number; error?: string };
  down: { stored: number; duplicate: number; rejected: number };
  up: { sent: number; accepted: number; refused: number; dropped: number; queued: number };
}

const LIVE_SUB = 'hamlet-mirror';
/** Invalid or refused events from one relay logged per connection, not more. */
const LOGGED_REJECTIONS = 5;

/**
 * One stream to one relay: a WebSocket kept open (reconnecting with exponential backoff), a live
 * REQ for what comes down, EVENTs for what goes up, and after each (re)connection a NIP-77
 * catch-up for what was missed while apart.
 */
export class MirrorLink {
  private ws: WebSocket | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly queue: string[] = [];
  /** Ids this relay sent us (not sent back) and ids we sent it (not counted again when echoed). */
  private readonly fromThere = new LRUCache<string, true>({ max: 50_000 });
  private rejectionsLogged = 0;
  readonly status: MirrorLinkStatus;

  constructor(private readonly o: MirrorLinkOptions) {
    this.status = {
      stream: o.mirror.name,
      relay: o.url,
      direction: o.mirror.direction,
      connected: false,
      lastContact: o.lastContact(),
      failures: 0,
      down: { stored: 0, duplicate: 0, rejected: 0 },
      up: { sent: 0, accepted: 0, refused: 0, dropped: 0, queued: 0 },
    };
  }

  private get goesDown(): boolean {
    return this.o.mirror.direction !== 'up';
  }
  private get goesUp(): boolean {
    return this.o.mirror.direction !== 'down';
  }

  start(): void {
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.o.url, { handshakeTimeout: 10_000, maxPayload: 16 * 1024 * 1024 });
    this.ws = ws;
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.onOpen(ws);
    });
    ws.on('message', (data) => this.onFrame(data.toString()));
    ws.on('error', (err) => {
      this.status.lastError = `${opened ? 'connection lost' : 'cannot connect'}: ${err.message}`;
    });
    ws.on('close', () => {
      if (this.ws === ws) this.ws = undefined;
      const wasUp = this.status.connected;
      this.status.connected = false;
      this.status.connectedSince = undefined;
      mirrorConnected.set({ stream: this.o.mirror.name, relay: this.o.url }, 0);
      if (this.stopped) return;
      this.status.failures++;
      this.status.lastError ??= 'connection closed';
      const wait = Math.min(this.o.reconnectMaxSeconds, this.o.reconnectMinSeconds * 2 ** Math.min(this.status.failures - 1, 20));
      const level = wasUp || this.status.failures === 1 ? 'warn' : 'debug';
      this.o.log[level]({ stream: this.o.mirror.name, relay: this.o.url, err: this.status.lastError, retryIn: wait }, `mirror ${this.o.mirror.name}: ${this.o.url} ${this.status.lastError}; retrying in ${wait} s`);
      this.o.onChange();
      this.timer = setTimeout(() => this.connect(), wait * 1000 * (0.8 + Math.random() * 0.4));
    });
  }

  private onOpen(ws: WebSocket): void {
    const now = Math.floor(Date.now() / 1000);
    this.status.connected = true;
    this.status.connectedSince = now;
    this.status.lastError = undefined;
    this.rejectionsLogged = 0;
    mirrorConnected.set({ stream: this.o.mirror.name, relay: this.o.url }, 1);
    this.o.log.info({ stream: this.o.mirror.name, relay: this.o.url }, `mirror ${this.o.mirror.name}: connected to ${this.o.url}`);
    // Live from now on; what came before is the catch-up's.
    if (this.goesDown && this.o.downFilter) ws.send(JSON.stringify(['REQ', LIVE_SUB, { ...this.o.downFilter, since: now, limit: 0 }]));
    this.flush();
    const previous = this.status.lastContact;
    this.touch();
    void this.catchUp(previous);
  }

  private touch(): void {
    this.status.lastContact = Math.floor(Date.now() / 1000);
    this.o.onChange();
  }

  /** NIP-77 over its own connection; a relay without it gets a REQ since the last contact (down only). */
  private async catchUp(previous: number | undefined): Promise<void> {
    if (!this.o.mirror.catchUp) return;
    const started = Date.now();
    try {
      const dir = this.o.downFilter ? this.o.mirror.direction : 'up';
      if (dir === 'up' && !this.goesUp) return;
      const report = await syncWithRelay({ url: this.o.url, store: this.o.store, submit: (raw) => this.take(raw), filter: dir === 'up' ? this.o.filter : this.o.downFilter, dir, mayUpload: this.o.mayLeave });
      // A full round with the relay: the link holds, so the backoff starts over.
      this.status.failures = 0;
      this.status.catchUp = { at: Math.floor(started / 1000), via: 'nip77', fetched: report.down.stored, sent: report.up.stored, seconds: report.seconds };
      mirrorEvents.inc({ stream: this.o.mirror.name, direction: 'up', outcome: 'sent' }, report.up.stored);
      if (report.need + report.have > 0) {
        this.o.log.info({ stream: this.o.mirror.name, relay: this.o.url, fetched: report.down.stored, sent: report.up.stored, seconds: report.seconds }, `mirror ${this.o.mirror.name}: caught up with ${this.o.url} by NIP-77`);
      }
    } catch (err) {
      const message = (err as Error).message;
      if (!this.goesDown || !/NIP-77|refused the sync/.test(message) || !this.ws) {
        this.status.catchUp = { at: Math.floor(started / 1000), via: 'nip77', fetched: 0, sent: 0, seconds: (Date.now() - started) / 1000, error: message };
        return;
      }
      // Without NIP-77: what the relay has since the last contact (a minute's slack), once.
      const since = previous === undefined ? undefined : previous - 60;
      const before = this.status.down.stored;
      this.ws.send(JSON.stringify(['REQ', 'hamlet-mirror-catchup', { ...this.o.downFilter, ...(since !== undefined ? { since } : {}) }]));
      this.status.catchUp = { at: Math.floor(started / 1000), via: 'req', fetched: 0, sent: 0, seconds: 0, error: message };
      setTimeout(() => {
        if (this.status.catchUp?.via === 'req') this.status.catchUp.fetched = this.status.down.stored - before;
      }, 5000).unref();
    }
    this.o.onChange();
  }

  private onFrame(text: string): void {
    let f: unknown;
    try {
      f = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(f)) return;
    if (f[0] === 'EOSE' && f[1] === LIVE_SUB) this.status.failures = 0;
    if (f[0] === 'EVENT' && (f[1] === LIVE_SUB || f[1] === 'hamlet-mirror-catchup')) void this.take(f[2]);
    else if (f[0] === 'OK' && typeof f[1] === 'string') this.onOk(f[1], f[2] === true, String(f[3] ?? ''));
    else if (f[0] === 'EOSE' && f[1] === 'hamlet-mirror-catchup') this.ws?.send(JSON.stringify(['CLOSE', 'hamlet-mirror-catchup']));
    else if (f[0] === 'CLOSED' && f[1] === LIVE_SUB) {
      this.status.lastError = `the relay closed the subscription: ${String(f[2])}`;
      this.ws?.close();
    }
  }

  /** An event from there: deduplicated, then stored through the path the stream names. */
  private async take(raw: unknown): Promise<IngestResult> {
    const id = (raw as { id?: unknown })?.id;
    const name = this.o.mirror.name;
    if (typeof id === 'string') {
      this.fromThere.set(id, true);
      if (this.o.store.has(id)) {
        this.status.down.duplicate++;
        mirrorEvents.inc({ stream: name, direction: 'down', outcome: 'duplicate' });
        return { id, ok: true, message: 'duplicate: already have this event' };
      }
    }
    // The relay must not hand us more than we asked for.
    const r = await this.o.submit(raw);
    const outcome = !r.ok ? 'rejected' : r.message.startsWith('duplicate:') ? 'duplicate' : 'stored';
    this.status.down[outcome]++;
    mirrorEvents.inc({ stream: name, direction: 'down', outcome });
    if (!r.ok && this.rejectionsLogged++ < LOGGED_REJECTIONS) {
      this.o.log.warn({ stream: name, relay: this.o.url, id: r.id, reason: r.message }, `mirror ${name}: refused an event from ${this.o.url}: ${r.message}`);
    }
    return r;
  }

  /** An event stored here: queued for the relay if the stream sends it up. */
  offer(event: NostrEvent, json: string): void {
    if (!this.goesUp || this.stopped) return;
    if (this.fromThere.has(event.id) || !matchFilter(this.o.filter, event) || !this.o.mayLeave(event)) return;
    this.queue.push(json);
    if (this.queue.length > this.o.upQueueMax) {
      this.queue.shift();
      this.status.up.dropped++;
      mirrorEvents.inc({ stream: this.o.mirror.name, direction: 'up', outcome: 'dropped' });
    }
    this.flush();
  }

  private flush(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      this.status.up.queued = this.queue.length;
      return;
    }
    for (let json = this.queue.shift(); json !== undefined; json = this.queue.shift()) {
      ws.send(`["EVENT",${json}]`);
      this.status.up.sent++;
      mirrorEvents.inc({ stream: this.o.mirror.name, direction: 'up', outcome: 'sent' });
    }
    this.status.up.queued = 0;
  }

  private onOk(_id: string, ok: boolean, message: string): void {
    if (ok) this.status.up.accepted++;
    else {
      this.status.up.refused++;
      mirrorEvents.inc({ stream: this.o.mirror.name, direction: 'up', outcome: 'refused' });
      if (this.rejectionsLogged++ < LOGGED_REJECTIONS) this.o.log.warn({ stream: this.o.mirror.name, relay: this.o.url, reason: message }, `mirror ${this.o.mirror.name}: ${this.o.url} refused an event: ${message}`);
    }
    this.touch();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
    mirrorConnected.set({ stream: this.o.mirror.name, relay: this.o.url }, 0);
  }
}
