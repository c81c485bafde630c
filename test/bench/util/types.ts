import type { StrfryOptions } from './strfry.ts';

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
  /** strfry to measure beside Hamlet (`--strfry PATH`): the harness alternates the two. */
  strfry?: StrfryOptions;
  /** Which relay this run measures when comparing; a scenario starts its targets for this side. */
  side?: 'hamlet' | 'strfry';
  /** Runs per figure inside the scenario; the harness sets 1 when it alternates relays itself. */
  reps?: number;
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
