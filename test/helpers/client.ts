import WebSocket from 'ws';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { finalizeEvent, generateSecretKey, getPublicKey, type Filter as ClientFilter } from 'nostr-tools';
import type { NostrEvent } from '../../relay/nostr/types.ts';

useWebSocketImplementation(WebSocket);

export { Relay };

/** A keypair that signs plain-JSON events (as they travel on the wire). */
export class Author {
  readonly sk = generateSecretKey();
  readonly pubkey = getPublicKey(this.sk);

  sign(t: Partial<Pick<NostrEvent, 'kind' | 'content' | 'tags' | 'created_at'>> = {}): NostrEvent {
    const e = finalizeEvent(
      { kind: t.kind ?? 1, content: t.content ?? 'hello village', tags: t.tags ?? [], created_at: t.created_at ?? now() },
      this.sk,
    );
    return JSON.parse(JSON.stringify(e)) as NostrEvent;
  }
}

export const now = (): number => Math.floor(Date.now() / 1000);

/** What a nostr-tools client sees in OK: the flag and the message with its prefix. */
export async function publish(relay: Relay, event: NostrEvent): Promise<{ ok: boolean; message: string }> {
  try {
    return { ok: true, message: await relay.publish(event as never) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** A REQ run to EOSE with a nostr-tools client: the stored events, or the CLOSED reason. */
export function fetchEvents(relay: Relay, filters: ClientFilter[]): Promise<{ events: NostrEvent[]; closed?: string }> {
  return new Promise((resolve) => {
    const events: NostrEvent[] = [];
    let done = false;
    const sub = relay.subscribe(filters, {
      onevent: (e) => void events.push(e as NostrEvent),
      oneose: () => {
        done = true;
        sub.close();
        resolve({ events });
      },
      onclose: (reason) => {
        if (!done) resolve({ events, closed: reason });
      },
    });
  });
}

/**
 * Waits for `check` to hold, looking again after 10 ms, then less often (up to every 50 ms): a
 * check that sends a REQ must not spend the relay's read rate limit (200 at once from one address
 * by default), which the relay's own connections from 127.0.0.1 share.
 */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  let pause = 10;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(50, pause * 1.5);
  }
}

type Frame = unknown[];

/**
 * A raw WebSocket client for frames nostr-tools would never send (malformed JSON, wrong types)
 * and for asserting exact relay messages.
 */
export class RawClient {
  private frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  /** The NIP-42 challenge the relay sent on connect. */
  challenge?: string;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame[0] === 'AUTH' && this.challenge === undefined) this.challenge = frame[1] as string;
      else this.frames.push(frame);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(msg: Frame | string): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The next frame matching `pred` (earlier non-matching frames stay queued). */
  async next(pred: (f: Frame) => boolean = () => true, ms = 5000): Promise<Frame> {
    const end = Date.now() + ms;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0]!;
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${ms} ms; have ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends EVENT and returns [ok, message]. */
  async publish(e: NostrEvent): Promise<[boolean, string]> {
    this.send(['EVENT', e]);
    const f = await this.next((f) => f[0] === 'OK' && f[1] === e.id);
    return [f[2] as boolean, f[3] as string];
  }

  /** Sends REQ and collects events up to EOSE, or returns the CLOSED reason. */
  async req(subId: string, ...filters: object[]): Promise<{ events: NostrEvent[]; closed?: string }> {
    this.send(['REQ', subId, ...filters]);
    const events: NostrEvent[] = [];
    for (;;) {
      const f = await this.next((f) => f[1] === subId && (f[0] === 'EVENT' || f[0] === 'EOSE' || f[0] === 'CLOSED'));
      if (f[0] === 'EVENT') events.push(f[2] as NostrEvent);
      else if (f[0] === 'EOSE') return { events };
      else return { events, closed: f[2] as string };
    }
  }

  /** Frames received and not yet consumed. */
  pending(): Frame[] {
    return [...this.frames];
  }

  close(): void {
    this.ws.close();
  }
}
