import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Target } from './target.ts';
import { childTarget } from './childTarget.ts';
import { freePort } from '../../helpers/freePort.ts';

/**
 * strfry, the relay Hamlet measures itself against (`npm run bench -- --strfry PATH`): built by
 * the operator from its public source, never part of this repository. Each start gets a fresh
 * database (or the kept one given) and a free loopback port; everything else is the config file
 * beside the binary (strfry.conf, its defaults).
 */
export interface StrfryOptions {
  binary: string;
  /** Template config; default strfry.conf beside the binary. */
  conf?: string;
}

export async function startStrfry(s: StrfryOptions, keptDataDir?: string): Promise<Target> {
  const dataDir = keptDataDir ?? mkdtempSync(join(tmpdir(), 'strfry-bench-'));
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const conf = writeConfig(s, dataDir, port);
  const child = spawn(s.binary, [`--config=${conf}`, 'relay'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const url = `ws://127.0.0.1:${port}`;
  await waitHttp(port, child, () => err);
  return childTarget(child, url, dataDir, keptDataDir !== undefined, 10_000, () => err);
}

/** `strfry import` of a JSONL file into a fresh database: the same template, no relay. */
export function strfryImportArgs(s: StrfryOptions, dataDir: string): { command: string; args: string[] } {
  return { command: s.binary, args: [`--config=${writeConfig(s, dataDir, 0)}`, 'import'] };
}

/** This run's config file in its data directory, from the template; its path. */
function writeConfig(s: StrfryOptions, dataDir: string, port: number): string {
  const template = s.conf ?? join(dirname(s.binary), 'strfry.conf');
  if (!existsSync(s.binary)) throw new Error(`--strfry ${s.binary}: no such file`);
  if (!existsSync(template)) throw new Error(`strfry config template ${template} not found (put strfry.conf beside the binary)`);
  const conf = join(dataDir, 'bench.conf');
  writeFileSync(conf, configFor(readFileSync(template, 'utf8'), dataDir, port));
  return conf;
}

/** The template with this run's database, loopback port, and no need to raise the open-files limit. */
function configFor(template: string, dataDir: string, port: number): string {
  return template
    .replace(/^db\s*=.*$/m, `db = "${dataDir}/"`)
    .replace(/^(\s*)bind\s*=.*$/m, '$1bind = "127.0.0.1"')
    .replace(/^(\s*)port\s*=.*$/m, `$1port = ${port}`)
    .replace(/^(\s*)nofiles\s*=.*$/m, '$1nofiles = 0');
}

/** Until strfry answers NIP-11 (bounded: 30 s). */
async function waitHttp(port: number, child: ReturnType<typeof spawn>, stderr: () => string): Promise<void> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`strfry exited with code ${child.exitCode}: ${stderr().trim().split('\n').slice(-5).join('\n')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { headers: { Accept: 'application/nostr+json' }, signal: AbortSignal.timeout(2_000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('strfry did not answer within 30 s');
}
