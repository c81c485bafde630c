/**
 * Fair turns for DVM jobs: at most `concurrency` run at once, and waiting jobs start in turn by
 * customer (round robin), so one member or one remote village sending a hundred requests delays
 * the others by one job, not a hundred. Requests from remote relays (which did not pass the home
 * relay's write policies) are also held to `perMinute` per customer.
 */
export interface SchedulerOptions {
  concurrency: number;
  /** Jobs per customer per minute for requests from remote relays. */
  perMinute: number;
  /** Most jobs waiting in all; past it new ones are refused. */
  maxWaiting: number;
}

type Task = () => Promise<void>;

export class JobScheduler {
  private readonly waiting = new Map<string, Task[]>();
  private readonly recent = new Map<string, number[]>();
  private running = 0;
  private queued = 0;

  constructor(private readonly o: SchedulerOptions) {}

  /** Takes a job; false (with why) when it is refused. */
  submit(customer: string, remote: boolean, task: Task, now = Date.now()): { ok: true } | { ok: false; reason: string } {
    if (remote) {
      const times = (this.recent.get(customer) ?? []).filter((t) => t > now - 60_000);
      if (times.length >= this.o.perMinute) return { ok: false, reason: `rate-limited: at most ${this.o.perMinute} requests a minute from one customer through another relay` };
      times.push(now);
      this.recent.set(customer, times);
      if (this.recent.size > 10_000) for (const [k, v] of this.recent) if (v.every((t) => t <= now - 60_000)) this.recent.delete(k);
    }
    if (this.queued >= this.o.maxWaiting) return { ok: false, reason: 'rate-limited: the DVMs are busy; try again in a minute' };
    const list = this.waiting.get(customer);
    if (list) list.push(task);
    else this.waiting.set(customer, [task]);
    this.queued++;
    this.pump();
    return { ok: true };
  }

  /** Jobs waiting for their turn. */
  get waitingJobs(): number {
    return this.queued;
  }

  /** Drops the jobs not started yet. */
  clear(): void {
    this.waiting.clear();
    this.queued = 0;
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.queued > 0) {
      // the first customer in line gives one job, then goes to the back of the line
      const [customer, list] = this.waiting.entries().next().value as [string, Task[]];
      const task = list.shift()!;
      this.waiting.delete(customer);
      if (list.length > 0) this.waiting.set(customer, list);
      this.queued--;
      this.running++;
      void task().finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}
