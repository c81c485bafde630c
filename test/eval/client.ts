import WebSocket from 'ws';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/** What became of one DVM job: its result, an error feedback, a refusal, or nothing in time. */
export type JobOutcome =
  | { status: 'ok'; result: NostrEvent; ms: number }
  | { status: 'error' | 'refused'; message: string; ms: number }
  | { status: 'timeout'; ms: number };

type Frame = unknown[];
interface Sub {
  onEvent(e: NostrEvent): void;
  onEose(): void;
  onClosed(reason: string): void;
}

/**
 * One WebSocket connection to the evaluated relay (loopback only): bulk publishing with a window
 * of outstanding OKs, REQs to EOSE, and NIP-90 jobs the way a client runs them (subscribe to the
 * result and feedback first, then publish the request).
 */
export class EvalClient {
  private readonly oks = new Map<string, (ok: boolean, message: string) => void>();
  private readonly subs = new Map<string, Sub>();
  private seq = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.route(JSON.parse(data.toString()) as Frame));
  }

  static open(url: string): Promise<EvalClient> {
    if (!/^ws:\/\/(127\.0\.0\.1|\[::1\]):\d+/.test(url)) throw new Error(`the evaluation talks to loopback relays only, not ${url}`);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { maxPayload: 64 * 2 ** 20 });
      ws.once('open', () => resolve(new EvalClient(ws)));
      ws.once('error', reject);
    });
  }

  private route(f: Frame): void {
    if (f[0] === 'OK') {
      const done = this.oks.get(f[1] as string);
      this.oks.delete(f[1] as string);
      done?.(f[2] as boolean, f[3] as string);
      return;
    }
    const sub = this.subs.get(f[1] as string);
    if (!sub) return;
    if (f[0] === 'EVENT') sub.onEvent(f[2] as NostrEvent);
    else if (f[0] === 'EOSE') sub.onEose();
    else if (f[0] === 'CLOSED') sub.onClosed(f[2] as string);
  }

  private publishOne(json: string, id: string, ms = 30_000): Promise<{ ok: boolean; message: string }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.oks.delete(id);
        resolve({ ok: false, message: `no OK within ${ms} ms` });
      }, ms);
      this.oks.set(id, (ok, message) => {
        clearTimeout(timer);
        resolve({ ok, message });
      });
      this.ws.send(`["EVENT",${json}]`);
    });
  }

  /** Publishes signed events (JSON, id first as signToJson writes it) with at most `window` awaiting their OK. */
  async publishAll(jsons: readonly string[], window = 256, progress?: (done: number) => void): Promise<{ accepted: Set<string>; refused: { id: string; message: string }[] }> {
    const accepted = new Set<string>();
    const refused: { id: string; message: string }[] = [];
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < jsons.length) {
        const json = jsons[next++]!;
        const id = json.slice(7, 71);
        const r = await this.publishOne(json, id);
        if (r.ok) accepted.add(id);
        else refused.push({ id, message: r.message });
        if (++done % 5000 === 0) progress?.(done);
      }
    };
    await Promise.all(Array.from({ length: window }, worker));
    return { accepted, refused };
  }

  /** A REQ to EOSE (or CLOSED). */
  req(filter: Record<string, unknown>, ms = 30_000): Promise<NostrEvent[]> {
    const id = `q${this.seq++}`;
    return new Promise((resolve, reject) => {
      const events: NostrEvent[] = [];
      const end = (fn: () => void) => {
        clearTimeout(timer);
        this.subs.delete(id);
        this.ws.send(JSON.stringify(['CLOSE', id]));
        fn();
      };
      const timer = setTimeout(() => end(() => reject(new Error(`REQ without EOSE within ${ms} ms`))), ms);
      this.subs.set(id, { onEvent: (e) => void events.push(e), onEose: () => end(() => resolve(events)), onClosed: (r) => end(() => reject(new Error(`REQ closed: ${r}`))) });
      this.ws.send(JSON.stringify(['REQ', id, filter]));
    });
  }

  /** Runs one NIP-90 job: the result (kind + 1000), an error feedback, a refusal, or a timeout. */
  job(request: NostrEvent, ms: number): Promise<JobOutcome> {
    const id = `j${this.seq++}`;
    return new Promise((resolve) => {
      let t0 = 0;
      let timer: NodeJS.Timeout | undefined;
      const finish = (o: JobOutcome) => {
        clearTimeout(timer);
        if (!this.subs.has(id)) return;
        this.subs.delete(id);
        this.ws.send(JSON.stringify(['CLOSE', id]));
        resolve(o);
      };
      const elapsed = () => performance.now() - t0;
      this.subs.set(id, {
        onEvent: (e) => {
          if (e.kind === request.kind + 1000) finish({ status: 'ok', result: e, ms: elapsed() });
          else if (e.kind === 7000 && e.tags.some((t) => t[0] === 'status' && t[1] === 'error')) {
            const status = e.tags.find((t) => t[0] === 'status')!;
            finish({ status: 'error', message: status[2] ?? e.content, ms: elapsed() });
          }
        },
        onEose: () => {
          t0 = performance.now();
          timer = setTimeout(() => finish({ status: 'timeout', ms: elapsed() }), ms);
          void this.publishOne(JSON.stringify(request), request.id, ms).then((r) => {
            if (!r.ok) finish({ status: 'refused', message: r.message, ms: elapsed() });
          });
        },
        onClosed: (reason) => finish({ status: 'refused', message: `subscription closed: ${reason}`, ms: 0 }),
      });
      this.ws.send(JSON.stringify(['REQ', id, { kinds: [request.kind + 1000, 7000], '#e': [request.id] }]));
    });
  }

  close(): void {
    this.ws.close();
  }
}
