import WebSocket from 'ws';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import type { Filter } from 'nostr-tools';
import type { Logger } from '../../relay/log.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

useWebSocketImplementation(WebSocket);

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Connections to other relays (nostr-tools over `ws`): the configured remote relays whose job
 * requests we take, and the URLs in requests' `relays` tags where results must also go. One
 * connection per URL, opened on first use and reopened after it drops.
 */
export class RemoteRelays {
  private readonly open = new Map<string, Promise<Relay>>();
  private readonly subs: { close(): void }[] = [];
  private closed = false;

  constructor(private readonly log: Logger) {}

  private connect(url: string): Promise<Relay> {
    let p = this.open.get(url);
    if (!p) {
      p = (async () => {
        const relay = new Relay(url, { enableReconnect: false });
        await relay.connect({ timeout: CONNECT_TIMEOUT_MS });
        relay.onclose = () => this.open.delete(url);
        return relay;
      })();
      p.catch(() => this.open.delete(url));
      this.open.set(url, p);
    }
    return p;
  }

  /** Sends an event; failures are logged, never thrown (a dead result relay must not fail the job). */
  async publish(url: string, event: NostrEvent): Promise<boolean> {
    if (this.closed) return false;
    try {
      const relay = await this.connect(url);
      await relay.publish(event as never);
      return true;
    } catch (err) {
      this.log.debug({ url, id: event.id, err: (err as Error).message }, 'dvm: publishing to a remote relay failed');
      return false;
    }
  }

  /**
   * Keeps a subscription open on a remote relay, resubscribing after a drop (with `since`
   * moved up to the moment of the drop, so the window check, not a replay, bounds the backlog).
   */
  subscribe(url: string, filters: (since: number) => Filter[], onevent: (e: NostrEvent) => void): void {
    let since = Math.floor(Date.now() / 1000);
    let retryMs = 500;
    let current: { close(): void } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const start = async (): Promise<void> => {
      if (this.closed) return;
      try {
        const relay = await this.connect(url);
        const sub = relay.subscribe(filters(since), {
          onevent: (e) => {
            since = Math.max(since, Math.min(e.created_at, Math.floor(Date.now() / 1000)));
            onevent(e as NostrEvent);
          },
          onclose: () => {
            if (this.closed) return;
            since = Math.floor(Date.now() / 1000) - 60;
            timer = setTimeout(() => void start(), retryMs);
          },
        });
        retryMs = 500;
        current = sub;
        this.log.info({ url }, 'dvm: taking job requests from a remote relay');
      } catch (err) {
        this.log.warn({ url, err: (err as Error).message, retryMs }, 'dvm: cannot reach a remote relay; retrying');
        timer = setTimeout(() => void start(), retryMs);
        retryMs = Math.min(retryMs * 2, 60_000);
      }
    };
    void start();
    this.subs.push({
      close: () => {
        clearTimeout(timer);
        current?.close();
      },
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.subs) s.close();
    const relays = await Promise.allSettled([...this.open.values()]);
    for (const r of relays) if (r.status === 'fulfilled') r.value.close();
    this.open.clear();
  }
}
