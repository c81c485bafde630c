import WebSocket from 'ws';
import { idOf } from './util/sign.ts';
import { sleep } from './util/stats.ts';
import { RelayFrames } from './relayFrames.ts';

/**
 * The load generator: real WebSocket clients (the `ws` package, no compression), events signed
 * before any clock starts, every loop bounded in count and in time.
 */

/** One `ws` connection; frames are handled as relayFrames.ts says. */
export class Client extends RelayFrames {
  constructor(readonly ws: WebSocket) {
    super();
    ws.on('message', (data: Buffer) => this.handleFrame(data, performance.now()));
  }

  send(text: string): void {
    this.ws.send(text);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Opens n connections, `concurrency` handshakes at a time; throws if any fails. */
export async function openClients(url: string, n: number, concurrency = 100): Promise<Client[]> {
  const clients: Client[] = [];
  try {
    for (let done = 0; done < n; done += concurrency) {
      const wave = Math.min(concurrency, n - done);
      const opened = await Promise.all(Array.from({ length: wave }, () => openOne(url)));
      clients.push(...opened);
    }
  } catch (err) {
    closeAll(clients);
    throw new Error(`opening connection ${clients.length + 1} of ${n}: ${(err as Error).message}`);
  }
  return clients;
}

function openOne(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 15_000 });
    ws.once('open', () => {
      ws.removeAllListeners('error');
      ws.on('error', () => {});
      resolve(new Client(ws));
    });
    ws.once('error', reject);
  });
}

export function closeAll(clients: readonly { close(): void }[]): void {
  for (const c of clients) c.close();
}

export interface IngestResult {
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  unanswered: number;
  /** Rejections by prefix ("rate-limited", "invalid", ...). */
  rejections: Record<string, number>;
  /** Publish → OK latency of every answered event. */
  latencyMs: number[];
  elapsedMs: number;
  acceptedPerSec: number;
  /** CPU per accepted event, filled in by the scenario when it can read it. */
  relayCpuUsPerEvent?: number;
  loadCpuUsPerEvent?: number;
}

export interface IngestOptions {
  /** Most unanswered events per connection. */
  inFlight: number;
  /** Stop sending after this long; then wait at most `drainMs` for answers. */
  timeLimitMs: number;
  drainMs?: number;
}

/** Publishes pre-signed events (JSON of each event) over all clients, `inFlight` at a time each. */
export async function ingest(clients: Client[], events: readonly string[], opts: IngestOptions): Promise<IngestResult> {
  const r: IngestResult = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, unanswered: 0, rejections: {}, latencyMs: [], elapsedMs: 0, acceptedPerSec: 0 };
  const n = clients.length;
  let stopSending = false;
  let answered = 0;
  let lastAnswerAt = 0;
  let finish!: () => void;
  const finished = new Promise<void>((res) => (finish = res));
  const start = performance.now();

  clients.forEach((client, k) => {
    const pending = new Map<string, number>();
    let next = k; // this client sends events k, k + n, k + 2n, ...
    const pump = () => {
      while (!stopSending && pending.size < opts.inFlight && next < events.length) {
        const ev = events[next]!;
        next += n;
        pending.set(idOf(ev), performance.now());
        r.sent++;
        client.send(`["EVENT",${ev}]`);
      }
      if (answered === r.sent && (stopSending || r.sent === events.length)) finish();
    };
    client.onOk = (id, ok, message, at) => {
      const t0 = pending.get(id);
      if (t0 === undefined) return;
      pending.delete(id);
      answered++;
      lastAnswerAt = at;
      r.latencyMs.push(at - t0);
      if (!ok) {
        r.rejected++;
        const prefix = message.split(':')[0] || '(none)';
        r.rejections[prefix] = (r.rejections[prefix] ?? 0) + 1;
      } else if (message.startsWith('duplicate:')) r.duplicates++;
      else r.accepted++;
      pump();
    };
    pump();
  });

  const stopTimer = setTimeout(() => {
    stopSending = true;
    if (answered === r.sent) finish();
  }, opts.timeLimitMs);
  const drainTimer = setTimeout(finish, opts.timeLimitMs + (opts.drainMs ?? 5_000));
  await finished;
  clearTimeout(stopTimer);
  clearTimeout(drainTimer);
  stopSending = true;
  for (const c of clients) c.onOk = null;
  r.unanswered = r.sent - answered;
  r.elapsedMs = (lastAnswerAt || performance.now()) - start;
  r.acceptedPerSec = (r.accepted / r.elapsedMs) * 1000;
  return r;
}

export interface ReqResult {
  latencyMs: number[];
  events: number;
  /** Time spent inside REQs (sum of latencies). */
  busyMs: number;
  closed: string[];
}

/** Runs the same REQ `repeat` times in a row on one connection: REQ → EOSE time, events counted. */
export async function reqLatency(client: Client, filters: object[] | (() => object[]), opts: { repeat: number; timeLimitMs: number }): Promise<ReqResult> {
  const r: ReqResult = { latencyMs: [], events: 0, busyMs: 0, closed: [] };
  const deadline = performance.now() + opts.timeLimitMs;
  for (let i = 0; i < opts.repeat && performance.now() < deadline; i++) {
    const subId = `b${i}`;
    const f = typeof filters === 'function' ? filters() : filters;
    let count = 0;
    const done = new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 10_000);
      client.onEvent = () => { count++; };
      client.onEose = (id, at) => { if (id === subId) { clearTimeout(timer); resolve(at); } };
      client.onClosed = (id, message) => { if (id === subId) { clearTimeout(timer); r.closed.push(message); resolve(null); } };
    });
    const t0 = performance.now();
    client.send(JSON.stringify(['REQ', subId, ...f]));
    const at = await done;
    client.send(JSON.stringify(['CLOSE', subId]));
    if (at === null) continue;
    r.latencyMs.push(at - t0);
    r.busyMs += at - t0;
    r.events += count;
  }
  client.onEvent = client.onEose = client.onClosed = null;
  return r;
}

/** Runs NIP-45 COUNTs one after another on one connection: COUNT → answer time, and the counts answered. */
export async function countLatency(client: Client, filters: () => object[], opts: { repeat: number; timeLimitMs: number }): Promise<{ latencyMs: number[]; counts: number[]; closed: string[] }> {
  const r = { latencyMs: [] as number[], counts: [] as number[], closed: [] as string[] };
  const deadline = performance.now() + opts.timeLimitMs;
  for (let i = 0; i < opts.repeat && performance.now() < deadline; i++) {
    const subId = `c${i}`;
    const done = new Promise<{ at: number; count: number } | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 10_000);
      client.onCount = (id, count, at) => { if (id === subId) { clearTimeout(timer); resolve({ at, count }); } };
      client.onClosed = (id, message) => { if (id === subId) { clearTimeout(timer); r.closed.push(message); resolve(null); } };
    });
    const t0 = performance.now();
    client.send(JSON.stringify(['COUNT', subId, ...filters()]));
    const answer = await done;
    if (answer === null) continue;
    r.latencyMs.push(answer.at - t0);
    r.counts.push(answer.count);
  }
  client.onCount = client.onClosed = null;
  return r;
}

/**
 * What subscribing and fan-out need of a connection: a `Client`, or a lean one (leanClient.ts,
 * whose `onEvent` frame is a view valid only during the call).
 */
export type Subscriber = Pick<Client, 'onEvent' | 'onEose' | 'onClosed' | 'send'>;

/** Opens `perClient` live subscriptions with `filter` on every client and waits for all their EOSEs. */
export async function subscribeAll(clients: readonly Subscriber[], perClient: number, filter: object, timeoutMs = 30_000, idPrefix = 'live'): Promise<{ eose: number; closed: string[] }> {
  const closed: string[] = [];
  let eose = 0;
  const want = clients.length * perClient;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const check = () => { if (eose + closed.length >= want) { clearTimeout(timer); resolve(); } };
    for (const c of clients) {
      c.onEose = () => { eose++; check(); };
      c.onClosed = (_id, message) => { closed.push(message); check(); };
      for (let s = 0; s < perClient; s++) c.send(JSON.stringify(['REQ', `${idPrefix}${s}`, filter]));
    }
  });
  for (const c of clients) c.onEose = c.onClosed = null;
  return { eose, closed };
}

export interface FanoutResult {
  /** Publish → delivery latency, one sample per subscription per event. */
  latencyMs: number[];
  delivered: number;
  expected: number;
}

/**
 * Publishes events one at a time from `publisher` and times their arrival at every matching
 * subscription; waits for all copies (or `perEventTimeoutMs`) before the next event.
 */
export async function measureFanout(publisher: Client, subscribers: readonly Subscriber[], events: readonly string[], copiesPerEvent: number, opts: { perEventTimeoutMs: number; timeLimitMs: number }): Promise<FanoutResult> {
  const r: FanoutResult = { latencyMs: [], delivered: 0, expected: 0 };
  const deadline = performance.now() + opts.timeLimitMs;
  let current: Buffer | null = null;
  let t0 = 0;
  let got = 0;
  let wake: (() => void) | null = null;
  const onEvent = (frame: Buffer, at: number) => {
    if (current && frame.includes(current)) {
      r.latencyMs.push(at - t0);
      if (++got >= copiesPerEvent) wake?.();
    }
  };
  for (const s of subscribers) s.onEvent = onEvent;
  publisher.onOk = () => {};
  for (const ev of events) {
    if (performance.now() > deadline) break;
    current = Buffer.from(idOf(ev));
    got = 0;
    let timer: NodeJS.Timeout | undefined;
    const all = new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, opts.perEventTimeoutMs);
    });
    t0 = performance.now();
    publisher.send(`["EVENT",${ev}]`);
    await all;
    clearTimeout(timer);
    r.delivered += got;
    r.expected += copiesPerEvent;
    current = null;
    await sleep(20);
  }
  for (const s of subscribers) s.onEvent = null;
  publisher.onOk = null;
  return r;
}
