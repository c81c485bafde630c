import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Target } from './target.ts';

/** A relay the harness started as a child process: close() stops it (SIGTERM, then SIGKILL) and removes its database unless kept. */
export function childTarget(child: ChildProcess, url: string, dataDir: string, keep: boolean, graceMs: number): Target {
  return {
    url,
    pid: child.pid,
    dataDir,
    owned: true,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
