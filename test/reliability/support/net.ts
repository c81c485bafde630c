import WebSocket from 'ws';

/**
 * Opens a WebSocket from a chosen loopback source address: the whole of 127.0.0.0/8 reaches
 * a relay bound to 127.0.0.1, so a flooder (127.0.0.1) and a well-behaved client (127.0.0.2)
 * count as two addresses for the rate limits. Resolves with the socket or the HTTP status
 * of a refused upgrade.
 */
export function connectFrom(url: string, localAddress: string, timeoutMs = 10_000): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress, handshakeTimeout: timeoutMs });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** Frames received on `ws`, parsed, with a way to await the next one matching a predicate. */
export class Inbox {
  readonly frames: unknown[][] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as unknown[]);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(frame: unknown[]): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Waits until `count` frames satisfy `pred` (bounded by `ms`); returns them. */
  async collect(pred: (f: unknown[]) => boolean, count: number, ms = 10_000): Promise<unknown[][]> {
    const end = Date.now() + ms;
    for (;;) {
      const got = this.frames.filter(pred);
      if (got.length >= count) return got;
      const left = end - Date.now();
      if (left <= 0) throw new Error(`only ${got.length} of ${count} frames in ${ms} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  take(pred: (f: unknown[]) => boolean, ms?: number): Promise<unknown[]> {
    return this.collect(pred, 1, ms).then((fs) => {
      const f = fs[0]!;
      this.frames.splice(this.frames.indexOf(f), 1);
      return f;
    });
  }
}
