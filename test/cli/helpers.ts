import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { buildConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Fresh data directories, removed after each test. */
export function dataDirs(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'hamlet-cli-'));
    dirs.push(d);
    return d;
  };
}

export function toolConfig(dataDir: string, over: Record<string, Record<string, unknown>> = {}): Config {
  return buildConfig({
    ...over,
    storage: { dataDir, mapSizeMb: 256, ...over.storage },
    log: { level: 'silent' },
    verify: { threads: 1, ...over.verify },
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The test's environment without HAMLET_* settings, so only the defaults and the test's own apply. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HAMLET_')));
}

/**
 * `node bin/hamlet.js ...` in a child process, as an operator would run it; `wrapper` runs it
 * under another command (e.g. setpriv, to take root's permission override away).
 */
export function hamlet(args: string[], opts: { input?: string; env?: Record<string, string>; wrapper?: string[] } = {}): Promise<CliResult> {
  const command = [...(opts.wrapper ?? []), process.execPath, 'bin/hamlet.js', ...args];
  return new Promise((resolve) => {
    const child = execFile(
      command[0]!,
      command.slice(1),
      {
        cwd: ROOT,
        env: { ...cleanEnv(), HAMLET_STORAGE_MAP_SIZE_MB: '256', HAMLET_VERIFY_THREADS: '1', ...opts.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

export const jsonl = (events: object[]): string => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
export const parseJsonl = (text: string): NostrEvent[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as NostrEvent);
export const byId = (events: NostrEvent[]): NostrEvent[] => [...events].sort((a, b) => (a.id < b.id ? -1 : 1));
