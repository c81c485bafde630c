import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killChildren, startChild, writeConfig } from './child.ts';
import { Publisher, storedIds } from './publisher.ts';
import { seededRandom } from '../../../models/train/dataset.ts';

export interface CrashReport {
  trials: number;
  /** Events the relay answered OK true to, over all trials. */
  acked: number;
  /** Of those, how many a restarted relay no longer served. */
  lost: string[];
  sent: number;
  /** Restarts that failed (the database did not open). */
  failedStarts: number;
}


/**
 * `trials` times: start `hamlet start` on one data directory, check that every event ever
 * acknowledged is still served, publish from `clients` connections at once, and SIGKILL the
 * relay after a random delay. A last start checks the final trial's acknowledgements.
 */
export async function crashTrials(opts: { trials: number; clients: number; seed: number; maxDelayMs: number; log?: (line: string) => void }): Promise<CrashReport> {
  const random = seededRandom(opts.seed);
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-crash-'));
  const config = writeConfig(dir);
  const dataDir = join(dir, 'data');
  const acked = new Set<string>();
  const lost = new Set<string>();
  let sent = 0;
  let failedStarts = 0;
  const check = async (url: string) => {
    if (acked.size === 0) return;
    const found = await storedIds(url, [...acked]);
    for (const id of acked) if (!found.has(id)) lost.add(id);
  };
  try {
    for (let t = 0; t < opts.trials; t++) {
      let child;
      try {
        child = await startChild(dataDir, config);
      } catch (err) {
        failedStarts++;
        opts.log?.(`trial ${t}: restart failed: ${(err as Error).message.slice(0, 300)}`);
        continue;
      }
      await check(child.url);
      const publishers = Array.from({ length: opts.clients }, (_, i) => new Publisher(child.url, `trial ${t} client ${i}`));
      const runs = publishers.map((p) => p.run());
      // Once writes flow (the verifier workers take a moment to start), kill at a random moment
      // in the middle of batches.
      const flowing = Date.now() + 5_000;
      while (publishers.every((p) => p.acked.size === 0) && Date.now() < flowing) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.floor(random() * opts.maxDelayMs)));
      child.proc.kill('SIGKILL');
      await child.exited;
      for (const p of publishers) p.stop();
      await Promise.all(runs);
      for (const p of publishers) {
        sent += p.sent;
        for (const id of p.acked) acked.add(id);
      }
      opts.log?.(`trial ${t}: ${acked.size} acknowledged so far, ${lost.size} lost`);
    }
    const last = await startChild(dataDir, config);
    await check(last.url);
    last.proc.kill('SIGTERM');
    await last.exited;
  } finally {
    await killChildren();
    rmSync(dir, { recursive: true, force: true });
  }
  return { trials: opts.trials, acked: acked.size, lost: [...lost], sent, failedStarts };
}
