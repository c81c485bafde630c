import type { Filter, NostrEvent } from '../nostr/types.ts';
import { filterToJSON } from '../nostr/filter.ts';
import type { IngestResult } from '../ingest.ts';
import type { Store } from '../store/store.ts';
import { signEvent } from '../nostr/sign.ts';
import { Negentropy } from './negentropy.ts';
import { RelayLink } from './link.ts';
import { recordSet } from './recordSet.ts';
import { KIND_AUTH } from '../nostr/kinds.ts';

export type SyncDirection = 'up' | 'down' | 'both';

export interface TransferSummary {
  stored: number;
  duplicate: number;
  rejected: number;
  reasons: Record<string, number>;
}

export interface SyncReport {
  url: string;
  /** Ids only we had / only they had. */
  have: number;
  need: number;
  rounds: number;
  /** Time windows reconciled (more than one when the other relay capped a query). */
  windows: number;
  down: TransferSummary & { missing: number };
  up: TransferSummary;
  seconds: number;
}

export interface SyncOptions {
  url: string;
  store: Store;
  /** Stores a downloaded event (the local ingest path: verified, optionally through policies). */
  submit: (raw: unknown) => Promise<IngestResult>;
  filter?: Filter;
  dir?: SyncDirection;
  /** Binary negentropy frame size (our messages); the other relay must accept twice this in hex. */
  frameSizeLimit?: number;
  /** Ids per download REQ and uploads in flight. */
  batch?: number;
  onProgress?: (phase: 'reconcile' | 'down' | 'up', done: number, total: number) => void;
  /** NIP-42: answer the relay's AUTH challenge with this key (relays with auth required; its own DMs). */
  authKey?: Uint8Array;
  /** Which of the events only we have may be sent (a mirror never sends DMs or protected events); default all. */
  mayUpload?: (event: NostrEvent) => boolean;
}

/** NIP-42 with the challenge the relay sends on connect. */
async function authenticate(link: RelayLink, url: string, key: Uint8Array): Promise<void> {
  const challenge = await link.next((f) => f[0] === 'AUTH' && typeof f[1] === 'string', 5000).catch(() => undefined);
  if (!challenge) throw new Error('the relay sent no AUTH challenge');
  const e = signEvent({ kind: KIND_AUTH, created_at: Math.floor(Date.now() / 1000), content: '', tags: [['relay', url], ['challenge', challenge[1] as string]] }, key);
  link.send(['AUTH', e]);
  const ok = await link.next((f) => f[0] === 'OK' && f[1] === e.id);
  if (ok[2] !== true) throw new Error(`the relay refused AUTH: ${String(ok[3])}`);
}

class Capped extends Error {}

const summary = (): TransferSummary => ({ stored: 0, duplicate: 0, rejected: 0, reasons: {} });

function tally(s: TransferSummary, ok: boolean, message: string): void {
  if (ok && message.startsWith('duplicate:')) s.duplicate++;
  else if (ok) s.stored++;
  else {
    s.rejected++;
    s.reasons[message] = (s.reasons[message] ?? 0) + 1;
  }
}

let nextSub = 1;

/** One reconciliation of one filter; throws Capped when the other relay refuses it as too large. */
async function reconcile(link: RelayLink, store: Store, filter: Filter, frameSizeLimit: number, have: Set<string>, need: Set<string>): Promise<number> {
  const storage = await recordSet(store, [filter], { now: Math.floor(Date.now() / 1000), maxScan: Infinity }, Number.MAX_SAFE_INTEGER);
  if (storage === 'too-many') throw new Error('unreachable');
  const neg = new Negentropy(storage, frameSizeLimit);
  const subId = `hamlet-sync-${nextSub++}`;
  link.send(['NEG-OPEN', subId, filterToJSON(filter), neg.initiate()]);
  for (let rounds = 1; rounds <= 100_000; rounds++) {
    // A relay without NIP-77 answers NEG-OPEN with a NOTICE (or nothing).
    const f = await link.next((f) => ((f[0] === 'NEG-MSG' || f[0] === 'NEG-ERR') && f[1] === subId) || (rounds === 1 && f[0] === 'NOTICE'));
    if (f[0] === 'NOTICE') throw new Error(`the relay does not seem to support NIP-77 sync: ${String(f[1])}`);
    if (f[0] === 'NEG-ERR') {
      const reason = String(f[2]);
      if (reason.startsWith('blocked:')) throw new Capped(reason);
      throw new Error(`the relay refused the sync: ${reason}`);
    }
    const reply = neg.reconcile(String(f[2]), (id) => have.add(id), (id) => need.add(id));
    if (reply === null) {
      link.send(['NEG-CLOSE', subId]);
      return rounds;
    }
    link.send(['NEG-MSG', subId, reply]);
  }
  throw new Error('reconciliation did not converge');
}

/**
 * NIP-77 sync with another relay: learn which ids differ (negentropy), then download what we
 * lack with REQ and upload what they lack with EVENT. When the other relay caps a query
 * (NEG-ERR blocked:), the time range is halved until each part fits.
 */
export async function syncWithRelay(opts: SyncOptions): Promise<SyncReport> {
  const started = Date.now();
  const dir = opts.dir ?? 'both';
  const batch = opts.batch ?? 200;
  const frameSizeLimit = opts.frameSizeLimit ?? 60_000;
  const base = { ...(opts.filter ?? {}), limit: undefined };
  const have = new Set<string>();
  const need = new Set<string>();
  const link = await RelayLink.open(opts.url);
  if (opts.authKey) {
    try {
      await authenticate(link, opts.url, opts.authKey);
    } catch (err) {
      link.close();
      throw err;
    }
  }
  const report: SyncReport = { url: opts.url, have: 0, need: 0, rounds: 0, windows: 0, down: { ...summary(), missing: 0 }, up: summary(), seconds: 0 };
  try {
    const windows: Filter[] = [base];
    while (windows.length > 0) {
      const w = windows.shift()!;
      try {
        report.rounds += await reconcile(link, opts.store, w, frameSizeLimit, have, need);
        report.windows++;
        opts.onProgress?.('reconcile', report.windows, report.windows + windows.length);
      } catch (err) {
        if (!(err instanceof Capped)) throw err;
        const since = w.since ?? 0;
        const until = w.until ?? Math.floor(Date.now() / 1000) + 86_400;
        if (until - since < 2) throw new Error(`the relay caps this query even for a single second: ${err.message}`);
        const mid = Math.floor((since + until) / 2);
        windows.unshift({ ...w, since, until: mid }, { ...w, since: mid + 1, until });
      }
    }
    report.have = have.size;
    report.need = need.size;
    if (dir !== 'up') await download(link, [...need], batch, opts, report);
    if (dir !== 'down') await upload(link, [...have], batch, opts, report);
  } finally {
    link.close();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** Download REQs in flight at once: the other relay reads while we verify and store. */
const DOWNLOADS_IN_FLIGHT = 4;

async function download(link: RelayLink, ids: string[], batch: number, opts: SyncOptions, report: SyncReport): Promise<void> {
  let done = 0;
  const fetchChunk = async (chunk: string[]) => {
    const subId = `hamlet-fetch-${nextSub++}`;
    link.send(['REQ', subId, { ids: chunk, limit: chunk.length }]);
    const got = new Set<string>();
    const stored: Promise<void>[] = [];
    for (;;) {
      const f = await link.next((f) => (f[0] === 'EVENT' || f[0] === 'EOSE' || f[0] === 'CLOSED') && f[1] === subId);
      if (f[0] !== 'EVENT') {
        if (f[0] === 'EOSE') link.send(['CLOSE', subId]);
        break;
      }
      const raw = f[2] as { id?: unknown };
      if (typeof raw?.id !== 'string' || !chunk.includes(raw.id) || got.has(raw.id)) continue;
      got.add(raw.id);
      stored.push(opts.submit(raw).then((r) => tally(report.down, r.ok, r.message)));
    }
    await Promise.all(stored);
    report.down.missing += chunk.length - got.size;
    done += chunk.length;
    opts.onProgress?.('down', done, ids.length);
  };
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += batch) chunks.push(ids.slice(i, i + batch));
  const worker = async () => {
    for (let c = chunks.shift(); c; c = chunks.shift()) await fetchChunk(c);
  };
  await Promise.all(Array.from({ length: DOWNLOADS_IN_FLIGHT }, worker));
}

async function upload(link: RelayLink, ids: string[], batch: number, opts: SyncOptions, report: SyncReport): Promise<void> {
  for (let i = 0; i < ids.length; i += batch) {
    const sent: string[] = [];
    for (const id of ids.slice(i, i + batch)) {
      const rec = opts.store.getById(id);
      if (!rec) continue;
      if (opts.mayUpload && !opts.mayUpload(rec.event())) continue;
      link.send(`["EVENT",${rec.json.toString()}]`);
      sent.push(id);
    }
    for (const id of sent) {
      const ok = await link.next((f) => f[0] === 'OK' && f[1] === id);
      tally(report.up, ok[2] === true, String(ok[3] ?? ''));
    }
    link.discard((f) => f[0] === 'NOTICE' || f[0] === 'AUTH');
    opts.onProgress?.('up', Math.min(i + batch, ids.length), ids.length);
  }
}
