import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StartError } from '../../cli/startError.ts';
import { Author, RawClient } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { dataDirs, hamlet, jsonl } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const tempDir = dataDirs();

/** The lightest real relay: no DVMs, labeler or model workers, one verifier thread. */
const LIGHT = {
  HAMLET_DVMS_ENABLED: 'false',
  HAMLET_LABELS_ENABLED: 'false',
  HAMLET_VERIFY_THREADS: '1',
  HAMLET_STORAGE_MAP_SIZE_MB: '256',
  HAMLET_LOG_PRETTY: 'never',
};

interface Started {
  proc: ChildProcess;
  /** Set once the banner says where it listens. */
  url?: string;
  port?: number;
  stdout: string;
  stderr: string;
  /** Exit code (or signal name). */
  exited: Promise<number | string>;
}

const running: Started[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
    await r.exited;
  }
});

/** `hamlet start ...` as a child process; resolves once it listens or has exited. */
function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HAMLET_')));
  const proc = spawn(process.execPath, ['bin/hamlet.js', 'start', ...args], { cwd: ROOT, env: { ...clean, ...LIGHT, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const s: Started = { proc, stdout: '', stderr: '', exited: new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1))) };
  running.push(s);
  return new Promise((resolve) => {
    proc.stdout!.on('data', (d: Buffer) => (s.stdout += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => {
      s.stderr += d.toString();
      const m = /^hamlet \S+ listening on (ws:\/\/[^\s]+)$/m.exec(s.stderr);
      if (m && !s.url) {
        s.url = m[1]!;
        s.port = Number(new URL(s.url).port);
        resolve(s);
      }
    });
    void s.exited.then(() => resolve(s));
  });
}

describe('hamlet --version', () => {
  it('prints the version from package.json and exits 0', async () => {
    const r = await hamlet(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });
});

describe('hamlet start banner', { timeout: 60_000 }, () => {
  it('says where it listens first, then the data directory, verifier, policies per stage, DVMs, labeler and models', async () => {
    const dir = tempDir();
    const r = await start(['-p', '0', '-d', dir]);
    expect(r.url).toBeDefined();
    const banner = r.stderr.split('\n');
    expect(banner[0]).toBe(`hamlet ${VERSION} listening on ${r.url}`);
    const row = (label: string) => banner.find((l) => l.trimStart().startsWith(`${label} `));
    expect(row('data')).toContain(dir);
    expect(row('verifier')).toMatch(/verifier\s+\S+ \(transport (uws|ws)\)/);
    expect(row('policies')).toMatch(/connection: moderation, rateLimit$/);
    expect(banner.some((l) => /^\s+write: moderation, rateLimit, sizeLimits, hellthread, duplicates$/.test(l))).toBe(true);
    expect(row('dvms')).toMatch(/dvms\s+off$/);
    expect(row('labeler')).toMatch(/labeler\s+off$/);
    expect(row('models')).toMatch(/no worker threads until something asks/);
    expect(row('nip-11')).toContain(`${r.url!.replace(/^ws/, 'http')}/rulebook`);
    // stdout stays log lines: the same summary as one JSON line
    const started = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; url?: string }).find((l) => l.msg === 'relay started');
    expect(started?.url).toBe(r.url);
    r.proc.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });
});

/** Threads of a process (Linux). */
const threadsOf = (pid: number): number => readdirSync(`/proc/${pid}/task`).length;

/** Threads of a bare Node process once its libuv pool has started: V8's, libuv's and Node's own. */
const nodeThreads = (): number =>
  Number(execFileSync(process.execPath, ['-e', "require('fs').stat('.', () => setTimeout(() => console.log(require('fs').readdirSync('/proc/self/task').length), 100))"], { encoding: 'utf8' }).trim());

describe('an idle relay (DVMs and labeler off)', { timeout: 60_000 }, () => {
  it.runIf(existsSync('/proc/self/task'))('runs no thread beyond Node\'s own and the store\'s writer until a burst of events starts one verifier thread, from its bundle', async () => {
    const r = await start(['-p', '0', '-d', tempDir()]);
    expect(r.url).toBeDefined();
    const own = nodeThreads();
    // the store's writer thread (relay/store/writerThread.ts); no verifier thread (lone events are
    // verified inline), no model worker, no trainer
    expect(threadsOf(r.proc.pid!)).toBeLessThanOrEqual(own + 1);
    // sent at once, the events reach the verifier in batches larger than it checks inline
    const client = await RawClient.open(r.url!);
    const author = new Author();
    const events = Array.from({ length: 100 }, (_, i) => author.sign({ content: `burst ${i}` }));
    for (const e of events) client.send(['EVENT', e]);
    for (const e of events) await client.next((f) => f[0] === 'OK' && f[1] === e.id);
    client.close();
    // verify.threads = 1: one thread, whose worker runs from its bundle (through tsx a loader thread came with it)
    expect(threadsOf(r.proc.pid!)).toBe(own + 2);
    r.proc.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });
});

describe('the verifier at start', { timeout: 60_000 }, () => {
  it('says loudly when the native verifier is not the one running, and how to get it', async () => {
    const r = await start(['-p', '0', '-d', tempDir()], { HAMLET_VERIFY_VERIFIER: 'tiny-secp256k1' });
    expect(r.url).toBeDefined();
    expect(r.stderr).toMatch(/verifier\s+tiny-secp256k1 \(transport (uws|ws)\)\n\s+SLOW: .*apt-get install libsecp256k1-dev/);
    const warn = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.level === 40 && l.msg.startsWith('signature verifier: tiny-secp256k1;'));
    expect(warn?.msg).toContain('libsecp256k1-dev');
    r.proc.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });
});

describe('one relay per port', { timeout: 120_000 }, () => {
  it('refuses a second relay on a port in use, over either transport, with exit code 1', async () => {
    const first = await start(['-p', '0', '-d', tempDir()]);
    expect(first.port).toBeGreaterThan(0);
    for (const transport of ['uws', 'ws']) {
      const second = await start(['-p', String(first.port), '-d', tempDir()], { HAMLET_RELAY_TRANSPORT: transport });
      expect(second.url).toBeUndefined();
      expect(await second.exited).toBe(1);
      expect(second.stderr).toContain(`hamlet: port ${first.port} is in use (another relay?)\n`);
    }
    // the first relay still serves
    const c = await RawClient.open(first.url!);
    expect(await c.publish(new Author().sign({ content: 'still the only relay on this port' }))).toEqual([true, '']);
    c.close();
  });

  it('refuses a uWebSockets.js relay on the port of a ws one', async () => {
    const first = await start(['-p', '0', '-d', tempDir()], { HAMLET_RELAY_TRANSPORT: 'ws' });
    const second = await start(['-p', String(first.port), '-d', tempDir()], { HAMLET_RELAY_TRANSPORT: 'uws' });
    expect(await second.exited).toBe(1);
    expect(second.stderr).toContain(`hamlet: port ${first.port} is in use (another relay?)\n`);
  });
});

describe('one relay per data directory', { timeout: 120_000 }, () => {
  it('refuses a second relay on the same directory, while import writes into it', async () => {
    const dir = tempDir();
    const first = await start(['-p', '0', '-d', dir]);
    const second = await start(['-p', '0', '-d', dir]);
    expect(second.url).toBeUndefined();
    expect(await second.exited).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^hamlet: data directory .* is in use by another relay \\(pid ${first.proc.pid}\\)`, 'm'));
    // The same directory by another path is the same directory.
    const again = await start(['-p', '0', '-d', `${dir}/.`]);
    expect(await again.exited).toBe(1);

    // CLI writers share the directory with the running relay.
    const note = new Author().sign({ content: 'imported while the relay runs' });
    const imported = await hamlet(['import', '-d', dir], { input: jsonl([note]) });
    expect(imported.code).toBe(0);
    const c = await RawClient.open(first.url!);
    expect((await c.req('x', { ids: [note.id] })).events.map((e) => e.id)).toEqual([note.id]);
    c.close();
  });

  it('starts at once on the directory of a relay that was killed', async () => {
    const dir = tempDir();
    const first = await start(['-p', '0', '-d', dir]);
    first.proc.kill('SIGKILL');
    await first.exited;
    const second = await start(['-p', '0', '-d', dir]);
    expect(second.url).toBeDefined();
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses a second relay on the same directory in one process, and allows it once the first closed', async () => {
    const first: TestRelay = await startTestRelay();
    try {
      await expect(startTestRelay({ storage: { dataDir: first.dataDir } })).rejects.toThrow(StartError);
      await first.close();
      const second = await startTestRelay({ storage: { dataDir: first.dataDir } });
      await second.close();
    } finally {
      await first.destroy();
    }
  });
});
