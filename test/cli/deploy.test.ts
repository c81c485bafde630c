import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import { acceptAll } from '../../relay/policy.ts';
import { startTestRelay } from '../helpers/relay.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; engines: { node: string } };

function which(tool: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/** `Key=value` lines of a unit file, by key (a key may repeat). */
function unitEntries(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

const systemdAnalyze = which('systemd-analyze');

describe('deploy/hamlet.service', () => {
  const unit = read('deploy/hamlet.service');
  const entries = unitEntries(unit);
  const one = (key: string) => entries.get(key)?.at(-1);

  it.skipIf(!systemdAnalyze)(
    `passes systemd-analyze verify${systemdAnalyze ? '' : ' (skipped: systemd-analyze is not installed; apt-get install systemd)'}`,
    async () => {
      // Verified as shipped; only the node binary is pointed at this machine's, which verify checks exists.
      const dir = mkdtempSync(join(tmpdir(), 'hamlet-unit-'));
      try {
        const file = join(dir, 'hamlet.service');
        writeFileSync(file, existsSync('/usr/bin/node') ? unit : unit.replaceAll('/usr/bin/node', process.execPath));
        const r = await run(systemdAnalyze!, ['verify', file]);
        expect(r.out).toBe('');
        expect(r.code).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('runs `hamlet start` on the state directory, restarts on failure, and is hardened', () => {
    expect(one('ExecStart')).toMatch(new RegExp(` /opt/hamlet/${pkg.bin.hamlet!.replace('.', '\\.')} start$`));
    expect(existsSync(join(ROOT, pkg.bin.hamlet!))).toBe(true);
    const dataDir = entries.get('Environment')!.map((e) => /^HAMLET_STORAGE_DATA_DIR=(.+)$/.exec(e)?.[1]).find(Boolean);
    expect(dataDir).toBe(`/var/lib/${one('StateDirectory')}`);
    expect(one('ReadWritePaths')).toBe(dataDir);
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('Restart')).toBe('on-failure');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(Number(one('LimitNOFILE'))).toBeGreaterThanOrEqual(65536);
    expect(one('User')).not.toBe('root');
    // V8's JIT writes executable memory: this option would crash the relay at start.
    expect(entries.has('MemoryDenyWriteExecute')).toBe(false);
  });
});

/** Dockerfile instructions, continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('deploy/Dockerfile', () => {
  const steps = instructions(read('deploy/Dockerfile'));
  const all = (op: string) => steps.filter((s) => s.op === op).map((s) => s.args);
  const relays: { destroy(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const r of relays) await r.destroy();
  });

  it('copies only paths that exist in the repository', () => {
    const sources = all('COPY')
      .filter((a) => !a.startsWith('--from='))
      .flatMap((a) => a.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(existsSync(join(ROOT, src)), src).toBe(true);
    // The install script it relies on (npm ci builds the native verifier).
    expect(existsSync(join(ROOT, 'relay/verify/native/build.mjs'))).toBe(true);
  });

  it('runs bin/hamlet.js start as a non-root user on Node of the engines range, with /data as the volume', () => {
    expect(JSON.parse(all('CMD').at(-1)!)).toEqual(['node', pkg.bin.hamlet, 'start']);
    const nodeMajor = /(\d+)/.exec(pkg.engines.node)![1];
    for (const base of all('FROM')) expect(base).toMatch(new RegExp(`^node:${nodeMajor}-`));
    expect(all('USER').at(-1)).not.toMatch(/^(root|0)$/);
    expect(all('VOLUME')).toEqual(['/data']);
    const env = all('ENV').join(' ');
    expect(env).toContain('HAMLET_STORAGE_DATA_DIR=/data');
    const port = configSchema.parse({}).relay.port;
    expect(all('EXPOSE')).toEqual([String(port)]);
    expect(env).toContain(`HAMLET_RELAY_PORT=${port}`);
    const ignore = read('deploy/Dockerfile.dockerignore').split('\n');
    expect(ignore).toContain('node_modules');
    expect(ignore).toContain('data');
  });

  it('has a HEALTHCHECK that passes against a running relay and fails when none answers', async () => {
    const check = all('HEALTHCHECK').at(-1)!;
    const cmd = JSON.parse(check.slice(check.indexOf('CMD ') + 4)) as string[];
    expect(cmd[0]).toBe('node');
    const relay = await startTestRelay({}, { policies: async () => acceptAll });
    relays.push(relay);
    expect((await run(process.execPath, cmd.slice(1), { HAMLET_RELAY_PORT: String(relay.port) })).code).toBe(0);
    await relay.close();
    expect((await run(process.execPath, cmd.slice(1), { HAMLET_RELAY_PORT: String(relay.port) })).code).toBe(1);
  });
});
