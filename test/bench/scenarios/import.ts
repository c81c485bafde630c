import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finished } from 'node:stream/promises';
import { ARCHIVE_SPEC } from '../util/archive.ts';
import { diskBytes } from '../util/diskBytes.ts';
import { median } from '../util/stats.ts';
import { SignPool } from '../util/signPool.ts';
import { strfryImportArgs } from '../util/strfry.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Import: a JSONL file of archive events (1M; 50k with --quick; written once to .bench/) into a
 * fresh database, timed from start to exit: `hamlet import` (every signature verified, straight
 * to the store) or `strfry import`. Also the database's bytes on disk per event afterwards.
 */
export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const size = opts.quick ? 50_000 : 1_000_000;
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  if (opts.url) return { metrics, notes: ['import skipped: it needs the relay\'s own command line (not --url)'] };
  const file = await eventFile(opts, size);
  const side = opts.side ?? 'hamlet';
  const seconds: number[] = [];
  const bytes: number[] = [];
  for (let rep = 0; rep < (opts.reps ?? (opts.quick ? 1 : 3)); rep++) {
    const dataDir = mkdtempSync(join(tmpdir(), `${side}-bench-import-`));
    try {
      const { command, args } = side === 'strfry' && opts.strfry
        ? strfryImportArgs(opts.strfry, dataDir)
        : { command: process.execPath, args: [fileURLToPath(new URL('../../../bin/hamlet.js', import.meta.url)), 'import', '--data', dataDir, '--json', file] };
      opts.log(`import: ${side}, ${size} events`);
      const t0 = performance.now();
      const { code, stderr } = await runChild(command, args, side === 'strfry' ? file : undefined);
      const s = (performance.now() - t0) / 1000;
      if (code !== 0) throw new Error(`${side} import exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      seconds.push(s);
      bytes.push(diskBytes(dataDir) / size);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const k = 'import';
  metrics[`${k}.seconds`] = median(seconds); units[`${k}.seconds`] = `s for ${size} events`;
  metrics[`${k}.events_per_s`] = size / median(seconds); units[`${k}.events_per_s`] = 'events/s';
  metrics[`${k}.db_bytes_per_event`] = median(bytes); units[`${k}.db_bytes_per_event`] = 'bytes on disk';
  return { metrics, units, notes };
}

/** The archive's first `size` events as JSONL, signed once and kept in .bench/. */
async function eventFile(opts: BenchOptions, size: number): Promise<string> {
  const file = join(process.cwd(), '.bench', `import-${size}.jsonl`);
  if (existsSync(file)) return file;
  mkdirSync(join(process.cwd(), '.bench'), { recursive: true });
  const pool = new SignPool();
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  try {
    for (let from = 0; from < size; from += 50_000) {
      const events = await pool.sign(ARCHIVE_SPEC, from, Math.min(size, from + 50_000));
      if (!out.write(events.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      opts.log(`import: signed ${from + events.length}/${size} events`);
    }
    out.end();
    await finished(out);
    renameSync(tmp, file);
  } finally {
    await pool.close();
  }
  return file;
}

function runChild(command: string, args: string[], stdinFile?: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [stdinFile ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    if (stdinFile) createReadStream(stdinFile).pipe(child.stdin!);
    // bounded: a stuck import must not hold the run
    const timer = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
