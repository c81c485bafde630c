import WebSocket from 'ws';
import { finalizeEvent, generateSecretKey } from 'nostr-tools';
import type { NostrEvent } from '../../../relay/nostr/types.ts';

/**
 * A client that publishes as fast as the relay answers (a window of events in flight) until its
 * connection dies or `stop()` is called, and remembers which ids got `OK true`.
 */
export class Publisher {
  readonly acked = new Set<string>();
  readonly refused = new Map<string, string>();
  sent = 0;
  private ws?: WebSocket;
  private stopped = false;
  private readonly sk = generateSecretKey();

  constructor(
    private readonly url: string,
    private readonly label: string,
    private readonly window = 16,
    private readonly max = 5_000,
  ) {}

  /** Resolves when the connection closes (relay killed) or after `stop()` and the last answer. */
  run(): Promise<void> {
    return new Promise((resolve) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let inFlight = 0;
      const pump = () => {
        while (!this.stopped && inFlight < this.window && this.sent < this.max && ws.readyState === WebSocket.OPEN) {
          const e = this.next();
          inFlight++;
          ws.send(JSON.stringify(['EVENT', e]));
        }
        if ((this.stopped || this.sent >= this.max) && inFlight === 0) ws.close();
      };
      ws.on('open', pump);
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as unknown[];
        if (f[0] !== 'OK') return;
        inFlight--;
        if (f[2] === true) this.acked.add(f[1] as string);
        else this.refused.set(f[1] as string, f[3] as string);
        pump();
      });
      ws.on('error', () => undefined);
      ws.on('close', () => resolve());
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.ws?.readyState === WebSocket.OPEN && this.sent === 0) this.ws.close();
  }

  private next(): NostrEvent {
    this.sent++;
    const e = finalizeEvent({ kind: 1, content: `${this.label} #${this.sent}`, tags: [['t', 'crash']], created_at: Math.floor(Date.now() / 1000) }, this.sk);
    return JSON.parse(JSON.stringify(e)) as NostrEvent;
  }
}

/** Which of `ids` the relay at `url` serves (REQ by id, in chunks under the filter value cap). */
export async function storedIds(url: string, ids: string[]): Promise<Set<string>> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const found = new Set<string>();
  try {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const subId = `check${i}`;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no EOSE in 10 s')), 10_000);
        const onMessage = (data: WebSocket.RawData) => {
          const f = JSON.parse(data.toString()) as unknown[];
          if (f[1] !== subId) return;
          if (f[0] === 'EVENT') found.add((f[2] as NostrEvent).id);
          else if (f[0] === 'EOSE' || f[0] === 'CLOSED') {
            clearTimeout(timer);
            ws.off('message', onMessage);
            if (f[0] === 'CLOSED') reject(new Error(`REQ closed: ${String(f[2])}`));
            else resolve();
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify(['REQ', subId, { ids: chunk, limit: chunk.length }]));
      });
      ws.send(JSON.stringify(['CLOSE', subId]));
    }
  } finally {
    ws.close();
  }
  return found;
}
