/** What every scenario receives. */
export interface BenchOptions {
  /** Short version: the whole run in about a minute. */
  quick: boolean;
  /** Target relay; undefined: each scenario starts its own Hamlet in a child process. */
  url?: string;
  /** PID of the --url relay, to read its RSS (memory scenario); optional. */
  pid?: number;
  /** Extra node flags for every Hamlet the harness starts (e.g. --cpu-prof). */
  relayNodeFlags?: string[];
  /** Progress lines (stderr), never results. */
  log(line: string): void;
}

/** A scenario's figures: flat `name → number` metrics, plus notes (skips, caveats) to print. */
export interface ScenarioResult {
  metrics: Record<string, number>;
  /** Units by metric name, for the table (e.g. "events/s", "ms", "bytes"). */
  units?: Record<string, string>;
  notes?: string[];
}

export interface Scenario {
  run(opts: BenchOptions): Promise<ScenarioResult | Record<string, number>>;
}
