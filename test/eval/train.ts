import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HAMLET = fileURLToPath(new URL('../../bin/hamlet.js', import.meta.url));

export interface TrainStep {
  step: string;
  ok: boolean;
  seconds: number;
  /** The command's last lines (its own evaluation, or why it failed). */
  output: string;
}

/** Runs `hamlet train <step> -c <config>` as an operator would, with the relay stopped; bounded by `maxMs`. */
export function runTrain(step: string, configFile: string, maxMs: number): Promise<TrainStep> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [HAMLET, 'train', step, '-c', configFile], { timeout: maxMs, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      const output = `${stdout}${err ? `\n${stderr}` : ''}`.trim().split('\n').slice(-8).join('\n');
      resolve({ step, ok: !err, seconds: (performance.now() - t0) / 1000, output: err && !output ? err.message : output });
    });
  });
}
