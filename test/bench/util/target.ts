import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './types.ts';
import { startStrfry } from './strfry.ts';
import { childTarget } from './childTarget.ts';
import { bundleModule } from '../../../relay/util/bundle.mjs';

/** A relay to measure: Hamlet in a child process (so it never shares a thread with the load) or --url. */
export interface Target {
  url: string;
  /** Relay process id, when known (RSS readings). */
  pid?: number;
  /** LMDB directory, when the harness owns it (bytes on disk). */
  dataDir?: string;
  /** True when the harness started it, so config overrides applied. */
  owned: boolean;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The harness only ever talks to this machine: a load generator must not be pointed elsewhere. */
export function assertLoopback(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--url ${url}: not a URL`);
  }
  if (u.protocol !== 'ws:' || !LOOPBACK.has(u.hostname)) {
    throw new Error(`--url ${url}: only ws:// on loopback (127.0.0.1, localhost, ::1) is allowed`);
  }
}

export interface StartOptions {
  /** Config overrides (merged over the bench defaults below). */
  overrides?: Record<string, Record<string, unknown>>;
  /** Keep the database here (and do not delete it on close): reused seeded databases. */
  dataDir?: string;
  /** Extra node flags for the relay, e.g. ['--cpu-prof']. */
  nodeFlags?: string[];
}

/** Bench defaults: silent logs, loopback; policies that would throttle a load generator are off. */
export const BENCH_NO_POLICIES = { connection: [], write: [], read: [] };

/** Starts Hamlet as a child process, or wraps --url. */
export async function startTarget(opts: BenchOptions, start: StartOptions = {}): Promise<Target> {
  if (opts.url) return { url: opts.url, pid: opts.pid, owned: false, close: async () => {} };
  if (opts.side === 'strfry' && opts.strfry) return startStrfry(opts.strfry, start.dataDir && `${start.dataDir}-strfry`);
  const keep = start.dataDir !== undefined;
  const dataDir = start.dataDir ?? mkdtempSync(join(tmpdir(), 'hamlet-bench-'));
  mkdirSync(dataDir, { recursive: true });
  const o = { ...start.overrides };
  const overrides = {
    ...o,
    // The relay alone is measured: DVMs and the labeler would embed every post (their own scenarios measure them).
    dvms: { enabled: false, ...o.dvms },
    labels: { enabled: false, ...o.labels },
    relay: { host: '127.0.0.1', port: 0, ...o.relay },
    storage: { mapSizeMb: 16_384, ...o.storage, dataDir },
    log: { level: 'silent', ...o.log },
  };
  // As `npm start` runs it: from the bundle of its sources (relay/util/bundle.mjs), not through tsx.
  const entry = await bundleModule(new URL('./relayProcess.ts', import.meta.url));
  const child = spawn(process.execPath, [...(opts.relayNodeFlags ?? []), ...(start.nodeFlags ?? []), entry, JSON.stringify(overrides)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const { url, stderrTail } = await waitReady(child);
  return childTarget(child, url, dataDir, keep, 12_000, stderrTail);
}

/** Until the relay prints READY: its URL, and the end of its stderr (read on for the whole run). */
function waitReady(child: ChildProcess): Promise<{ url: string; stderrTail: () => string }> {
  return new Promise((resolve, reject) => {
    let out = '', err = '';
    const timer = setTimeout(() => fail(new Error('relay did not start within 60 s')), 60_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n${err.trim().split('\n').slice(-15).join('\n')}`));
    };
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); if (err.length > 20_000) err = err.slice(-10_000); });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ url: m[1]!, stderrTail: () => err });
      }
    });
    child.once('exit', (code) => fail(new Error(`relay exited with code ${code} before it was ready`)));
  });
}

/** Resident set size of a process in bytes (Linux /proc), or NaN. */
export async function rssOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return NaN;
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}
