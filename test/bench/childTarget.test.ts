import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { childTarget } from './util/childTarget.ts';

/** The harness's handle on a relay child process: closing it must never wait forever. */
describe('childTarget', () => {
  it('stops a running child on close and removes its data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hamlet-childtarget-'));
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const target = childTarget(child, 'ws://127.0.0.1:1', dataDir, false, 5_000);
    await target.close();
    expect(child.signalCode).toBe('SIGTERM');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('says so when the child was killed by a signal before close, instead of waiting for an exit that already happened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hamlet-childtarget-'));
    const child = spawn(process.execPath, ['-e', 'process.stderr.write("about to crash\\n"); setTimeout(() => process.kill(process.pid, "SIGKILL"), 200)'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await once(child, 'spawn');
    const target = childTarget(child, 'ws://127.0.0.1:1', dataDir, false, 5_000, () => err);
    await once(child, 'exit');
    // exitCode stays null for a signal: the old close() waited on 'exit' again and hung
    expect(child.exitCode).toBeNull();
    await expect(target.close()).rejects.toThrow(/ended during the run, killed by SIGKILL: about to crash/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
