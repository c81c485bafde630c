import { rejectedEvents, writtenEvents } from '../../relay/metrics/registry.ts';

const SAMPLE_MS = 10_000;
/** Half an hour of samples: the console's ingest chart. */
const KEEP = 180;

export interface IngestSample {
  /** Unix seconds. */
  at: number;
  /** Events written and refused per second over the sample before. */
  written: number;
  rejected: number;
}

const counter = async (c: typeof writtenEvents): Promise<number> => (await c.get()).values[0]?.value ?? 0;

/** Events written and refused per second, sampled from the relay's own counters every 10 s. */
export class IngestRate {
  private readonly samples: IngestSample[] = [];
  private last: { at: number; written: number; rejected: number } | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  async sample(): Promise<void> {
    const now = { at: Date.now() / 1000, written: await counter(writtenEvents), rejected: await counter(rejectedEvents) };
    const last = this.last;
    this.last = now;
    if (!last || now.at - last.at < 1) return;
    const secs = now.at - last.at;
    this.samples.push({ at: Math.round(now.at), written: (now.written - last.written) / secs, rejected: (now.rejected - last.rejected) / secs });
    if (this.samples.length > KEEP) this.samples.shift();
  }

  series(): IngestSample[] {
    return [...this.samples];
  }

  close(): void {
    clearInterval(this.timer);
  }
}
