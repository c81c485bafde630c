import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { startRelay, type RelayOptions, type RunningRelay } from '../../cli/hamlet.ts';

export interface TestRelay extends RunningRelay {
  dataDir: string;
  config: Config;
  /** Stop the relay and delete its data directory. */
  destroy(): Promise<void>;
}

type Overrides = Record<string, Record<string, unknown>>;

/** A real relay on a free 127.0.0.1 port with a fresh LMDB in a temp dir. */
export async function startTestRelay(overrides: Overrides = {}, options: Omit<RelayOptions, 'config'> = {}): Promise<TestRelay> {
  const dataDir = overrides.storage?.dataDir as string | undefined ?? mkdtempSync(join(tmpdir(), 'hamlet-test-'));
  const config = buildConfig({
    ...overrides,
    relay: { port: 0, ...overrides.relay },
    storage: { mapSizeMb: 256, ...overrides.storage, dataDir },
    log: { level: 'silent', ...overrides.log },
    verify: { threads: 1, ...overrides.verify },
    // the tagging DVM joins the DVMs only in tests that ask for it (labels.tagsDvm = true)
    labels: { tagsDvm: false, ...overrides.labels },
    // the meaning model is learnt in the background only where a test asks (it would change rankings mid-test)
    models: { ...overrides.models, meaning: { retrainHours: 0, ...(overrides.models?.meaning as object | undefined) } },
  });
  // Model workers and DVMs are started only by the tests that use them.
  const relay = await startRelay({ models: async () => undefined, dvms: overrides.dvms?.enabled === true, labeler: overrides.labels?.enabled === true, ...options, config });
  return Object.assign(relay, {
    dataDir,
    config,
    async destroy() {
      await relay.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
