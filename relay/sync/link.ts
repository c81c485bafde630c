import WebSocket from 'ws';

type Frame = unknown[];

/** A WebSocket to another relay, with frames read in order and waited for by predicate. */
export class RelayLink {
  private frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  private closedReason?: string;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      try {
        const f = JSON.parse(data.toString()) as unknown;
        if (Array.isArray(f)) this.frames.push(f);
      } catch {
        // Not JSON: nothing a sync can use.
      }
      this.wake();
    });
    ws.on('close', () => {
      this.closedReason ??= 'connection closed';
      this.wake();
    });
    ws.on('error', (err) => {
      this.closedReason = err.message;
      this.wake();
    });
  }

  static open(url: string, timeoutMs = 10_000): Promise<RelayLink> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024, handshakeTimeout: timeoutMs });
      ws.once('open', () => resolve(new RelayLink(ws)));
      ws.once('error', (err) => reject(new Error(`cannot connect to ${url}: ${err.message}`)));
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame matching `pred`; others stay queued. */
  async next(pred: (f: Frame) => boolean, timeoutMs = 30_000): Promise<Frame> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0]!;
      if (this.closedReason) throw new Error(`relay connection lost: ${this.closedReason}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no answer from the relay within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Drops frames nobody will ask for (NOTICE, AUTH), keeping the queue short. */
  discard(pred: (f: Frame) => boolean): void {
    this.frames = this.frames.filter((f) => !pred(f));
  }

  close(): void {
    this.ws.close();
  }
}
