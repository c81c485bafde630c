import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import { buildConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { startRelay, type RunningRelay } from '../../cli/hamlet.ts';

/** The built-ins that key on the client address, and so would throttle the evaluation's own publishing. */
const ADDRESS_KEYED = new Set(['rateLimit', 'duplicates']);
const LOAD_ADDRESS = '127.0.0.1';

export interface EvalRelayOptions {
  labeler: boolean;
  /**
   * The meaning model is learnt only when the eval asks (its "relay's own training" step), not 5 s
   * after start: that would be a model of whatever part of the village was published by then, and
   * "before training" would not be before.
   */
  meaningWhenAsked?: boolean;
}

/** What the evaluation relay runs with: built-in models, DVMs and labeler on, a data dir of its own. */
export function evalSettings(dataDir: string, o: EvalRelayOptions): Record<string, Record<string, unknown>> {
  return {
    relay: { port: 0, host: LOAD_ADDRESS },
    storage: { dataDir, mapSizeMb: 4096 },
    // not a HAMLET_ variable: the `hamlet train` commands the eval runs read those as config keys and refuse unknown ones
    log: { level: process.env.EVAL_LOG_LEVEL ?? 'silent' },
    verify: { threads: 1 },
    models: { embedding: 'builtin', toxicity: 'builtin', workers: 1, ...(o.meaningWhenAsked ? { meaning: { retrainHours: 0 } } : {}) },
    dvms: { enabled: true },
    labels: { enabled: o.labeler, tagsDvm: true },
  };
}

/** The load address exempted in each address-keyed step, as an operator exempts their own tools. */
function exemptLoadAddress(config: Config): Config {
  const exempt = (entries: Config['policies']['write']) =>
    entries.map((e) => (ADDRESS_KEYED.has(e.use) ? { ...e, options: { ...e.options, exemptIps: [LOAD_ADDRESS] } } : e));
  const p = config.policies;
  return { ...config, policies: { ...p, connection: exempt(p.connection), write: exempt(p.write), read: exempt(p.read) } };
}

/** The real Hamlet relay in this process, on a free loopback port, over `dataDir`. */
export async function startEvalRelay(dataDir: string, o: EvalRelayOptions): Promise<RunningRelay> {
  const config = exemptLoadAddress(buildConfig(evalSettings(dataDir, o)));
  return startRelay({ config, dvms: true, labeler: o.labeler });
}

/** The same settings as a TOML file, for the `hamlet` CLI (train tags) over the same data dir. */
export function writeEvalConfigFile(dataDir: string): string {
  const { relay: _relay, ...settings } = evalSettings(dataDir, { labeler: true, meaningWhenAsked: true });
  const file = join(dataDir, 'eval-config.toml');
  writeFileSync(file, stringify(settings));
  return file;
}
