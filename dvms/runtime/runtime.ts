import type { Database } from 'lmdb';
import type { RelayServices } from '../../relay/services.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { sameRelay } from '../../relay/nostr/relayUrl.ts';
import { countDvmJob } from '../../relay/metrics/registry.ts';
import { feedbackEvent, resultEvent } from './events.ts';
import type { DvmKey } from './keys.ts';
import type { RemoteRelays } from './remote.ts';
import { addressees, expiresAt, isEncrypted, parseRequest } from './request.ts';
import { JobScheduler } from './scheduler.ts';
import { JobError, type DvmSpec, type JobRequest, type JobSource } from '../types.ts';
import { KIND_DELETION } from '../../relay/nostr/kinds.ts';

export interface RunningDvm {
  spec: DvmSpec;
  key: DvmKey;
}

interface JobRecord {
  /** Unix ms when first seen. */
  at: number;
  status: 'processing' | 'success' | 'error' | 'cancelled' | 'ignored';
  customer: string;
}

export interface RuntimeOptions {
  services: RelayServices;
  relayUrl: () => string;
  dvms: RunningDvm[];
  remote: RemoteRelays;
  windowSeconds: number;
  /** In a cluster (cluster/jobClaims.ts): a job runs on the first node to claim it, so one answer per request. */
  claims?: JobClaims;
}

/** Once-only jobs across the nodes of a cluster: true for the first claim of a key. */
export interface JobClaims {
  claim(key: string): Promise<boolean>;
}

/**
 * Takes job requests from wherever they arrive (the home relay's commits, remote relays),
 * routes each to the DVMs it is meant for, and runs the NIP-90 exchange: `processing` at once,
 * then the result or an `error`, published to the home relay, the request's `relays` and the
 * relay it came from. Each (DVM, request id) is handled once, even when it arrives from several
 * relays or again after a restart (the record is in LMDB).
 */
export class JobRuntime {
  private readonly jobs: Database<JobRecord, string>;
  private readonly inflight = new Map<string, { customer: string; cancelled: boolean }>();
  private readonly running = new Set<Promise<void>>();
  private readonly byKind = new Map<number, RunningDvm[]>();
  private closed = false;
  /** Jobs answered since start, per DVM pubkey (the heartbeat reports it). */
  readonly answered = new Map<string, number>();

  private readonly scheduler: JobScheduler;

  constructor(private readonly o: RuntimeOptions) {
    this.jobs = o.services.env.openDB<JobRecord, string>({ name: 'dvm-jobs' });
    const c = o.services.config.dvms;
    this.scheduler = new JobScheduler({ concurrency: c.concurrentJobs, perMinute: c.remoteJobsPerMinute, maxWaiting: c.maxWaitingJobs });
    for (const d of o.dvms) this.byKind.set(d.spec.kind, [...(this.byKind.get(d.spec.kind) ?? []), d]);
  }

  get kinds(): number[] {
    return [...this.byKind.keys()];
  }

  /** Every event the DVMs hear: requests for their kinds, and kind 5 cancellations. */
  accept(event: NostrEvent, source: JobSource): void {
    if (this.closed) return;
    if (event.kind === KIND_DELETION) return this.cancel(event);
    const dvms = this.byKind.get(event.kind);
    if (!dvms) return;
    const now = Math.floor(Date.now() / 1000);
    if (event.created_at < now - this.o.windowSeconds || event.created_at > now + this.o.windowSeconds) return;
    const exp = expiresAt(event);
    if (exp !== undefined && exp <= now) return;
    const to = addressees(event);
    // Addressed to other providers only: not ours (a request encrypted to someone else included).
    const chosen = to.length > 0 ? dvms.filter((d) => to.includes(d.key.pubkey)) : isEncrypted(event) ? [] : dvms.filter((d) => d.spec.takesUnaddressed);
    for (const dvm of chosen) {
      const task = () => {
        const p = this.run(dvm, event, source).catch((err: Error) => this.o.services.log.error({ err: err.message, id: event.id }, 'dvm: job failed'));
        this.running.add(p);
        return p.finally(() => this.running.delete(p));
      };
      const taken = this.scheduler.submit(event.pubkey, source.from === 'remote', task);
      if (!taken.ok) void this.refuse(dvm, event, source, taken.reason);
    }
  }

  /** Error feedback for a request that is not taken (rate, load); the request itself is not recorded. */
  private async refuse(dvm: RunningDvm, event: NostrEvent, source: JobSource, reason: string): Promise<void> {
    const job = { event, kind: event.kind, customer: event.pubkey, inputs: [], params: new Map(), relays: relaysOf(event), source };
    await this.deliver(feedbackEvent(dvm.key, job, this.o.relayUrl(), 'error', reason), job).catch(() => {});
  }

  private cancel(deletion: NostrEvent): void {
    for (const t of deletion.tags) {
      if (t[0] !== 'e' || !t[1]) continue;
      for (const [key, job] of this.inflight) {
        if (key.endsWith(':' + t[1]) && job.customer === deletion.pubkey) job.cancelled = true;
      }
      for (const { key } of this.o.dvms) {
        const k = `${key.pubkey}:${t[1]}`;
        const rec = this.jobs.get(k);
        if (!rec) void this.jobs.put(k, { at: Date.now(), status: 'cancelled', customer: deletion.pubkey });
      }
    }
  }

  /** Whether this node won the job; Redis unreachable counts as not (better no answer here than two). */
  private async claimed(id: string): Promise<boolean> {
    try {
      return await this.o.claims!.claim(id);
    } catch (err) {
      this.o.services.log.warn({ job: id, err: (err as Error).message }, 'dvm: cannot claim the job in the cluster; another node may answer it');
      return false;
    }
  }

  private async run(dvm: RunningDvm, event: NostrEvent, source: JobSource): Promise<void> {
    const id = `${dvm.key.pubkey}:${event.id}`;
    const seen = this.jobs.get(id);
    // a kind 5 that came before the request counts only if its author is the request's
    if (this.inflight.has(id) || (seen && !(seen.status === 'cancelled' && seen.customer !== event.pubkey))) return;
    const state = { customer: event.pubkey, cancelled: false };
    this.inflight.set(id, state);
    // by DVM (its `d`) and request, not by key: nodes whose DVMs have keys of their own still answer once
    if (this.o.claims && !(await this.claimed(`${dvm.spec.id}:${event.id}`))) {
      this.inflight.delete(id);
      return;
    }
    const started = performance.now();
    const record = (status: JobRecord['status']) => {
      if (status !== 'processing') countDvmJob(event.kind, status, (performance.now() - started) / 1000);
      return this.jobs.put(id, { at: Date.now(), status, customer: event.pubkey });
    };
    await record('processing');
    const relayHint = this.o.relayUrl();
    let job: JobRequest | undefined;
    try {
      try {
        job = parseRequest(event, source, dvm.key.sk);
      } catch (err) {
        // a request we cannot read gets an error in clear: we do not know its scheme
        if (err instanceof JobError) {
          const fallback = { event, kind: event.kind, customer: event.pubkey, inputs: [], params: new Map(), relays: relaysOf(event), source };
          await this.deliver(feedbackEvent(dvm.key, fallback, relayHint, 'error', err.message), fallback);
          await record('error');
          return;
        }
        throw err;
      }
      await this.deliver(feedbackEvent(dvm.key, job, relayHint, 'processing'), job);
      const output = await dvm.spec.handle(job, { services: this.o.services, relayUrl: relayHint, cancelled: () => state.cancelled });
      if (state.cancelled) {
        await record('cancelled');
        return;
      }
      await this.deliver(resultEvent(dvm.key, job, relayHint, output), job);
      // clients that watch only kind 7000 (job dashboards) see the job end too
      await this.deliver(feedbackEvent(dvm.key, job, relayHint, 'success'), job);
      this.answered.set(dvm.key.pubkey, (this.answered.get(dvm.key.pubkey) ?? 0) + 1);
      await record('success');
    } catch (err) {
      if (!job) throw err;
      const reason = err instanceof JobError ? err.message : 'internal error';
      if (!(err instanceof JobError)) this.o.services.log.error({ err: (err as Error).message, id: event.id, dvm: dvm.spec.id }, 'dvm: handler failed');
      if (!state.cancelled) await this.deliver(feedbackEvent(dvm.key, job, relayHint, 'error', reason), job);
      await record('error');
    } finally {
      this.inflight.delete(id);
    }
  }

  /** Home relay (through the normal pipeline), each `relays` URL, and the relay the request came from. */
  private async deliver(event: NostrEvent, job: Pick<JobRequest, 'relays' | 'source'>): Promise<void> {
    const home = this.o.relayUrl();
    const urls = [...job.relays];
    if (job.source.from === 'remote' && !urls.some((u) => sameRelay(u, (job.source as { url: string }).url))) urls.push(job.source.url);
    const remote = urls.filter((u) => !sameRelay(u, home));
    const results = await Promise.all([
      this.o.services.publish(event, 'internal'),
      ...remote.map((u) => this.o.remote.publish(u, event)),
    ]);
    const home0 = results[0] as { ok: boolean; message: string };
    if (!home0.ok) this.o.services.log.warn({ id: event.id, kind: event.kind, message: home0.message }, 'dvm: the home relay refused a DVM event');
  }

  /** Waits for jobs in flight; later requests are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.clear();
    await Promise.allSettled([...this.running]);
  }
}

function relaysOf(event: NostrEvent): string[] {
  return event.tags.filter((t) => t[0] === 'relays').flatMap((t) => t.slice(1).filter((u) => /^wss?:\/\//.test(u)));
}
