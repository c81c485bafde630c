import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/hamlet.js', import.meta.url));

/** A relay run as `node bin/hamlet.js start`, the way an operator runs it. */
export interface ChildRelay {
  proc: ChildProcess;
  url: string;
  /** Everything it wrote to stdout and stderr (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
}

const children = new Set<ChildProcess>();

/** A config file with no policies, DVMs or labeler and the built-in models: only the core is under test. */
export function writeConfig(dir: string, extra = ''): string {
  const file = join(dir, 'hamlet.toml');
  writeFileSync(
    file,
    `[log]\nlevel = "info"\npretty = "never"\n[models]\nembedding = "builtin"\ntoxicity = "builtin"\nworkers = 1\n` +
      `[verify]\nthreads = 1\n[policies]\nconnection = []\nwrite = []\nread = []\n[dvms]\nenabled = false\n[labels]\nenabled = false\n${extra}`,
  );
  return file;
}

/** Starts the relay on a free port with `dataDir`; resolves once it logs its URL. */
export function startChild(dataDir: string, configFile: string, opts: { timeoutMs?: number; fileSizeLimitKb?: number } = {}): Promise<ChildRelay> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const args = [BIN, 'start', '-c', configFile, '-d', dataDir, '-p', '0'];
  const env = { ...process.env, NODE_OPTIONS: '' };
  // RLIMIT_FSIZE (soft, so it can be raised again) stands in for a full disk: writes past it fail
  // with EFBIG (Node ignores SIGXFSZ).
  const proc =
    opts.fileSizeLimitKb === undefined
      ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env })
      : spawn('/bin/sh', ['-c', `ulimit -S -f ${opts.fileSizeLimitKb} && exec "$0" "$@"`, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.add(proc);
  let out = '';
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => {
      children.delete(proc);
      resolve(code ?? signal ?? -1);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`relay did not start in ${timeoutMs} ms:\n${out.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /relay listening on (ws:\/\/[^"\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, output: () => out, exited });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code}) before listening:\n${out.slice(-2000)}`));
    });
  });
}

/** SIGKILLs every child still running (afterEach / afterAll). */
export async function killChildren(): Promise<void> {
  const gone = [...children].map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r))));
  for (const p of children) p.kill('SIGKILL');
  await Promise.all(gone);
}
