import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Target } from './target.ts';

/** How a process ended: its exit code, or the signal that killed it (a crash). */
const howEnded = (code: number | null, signal: NodeJS.Signals | null): string => (signal ? `killed by ${signal}` : `exit code ${code}`);

/**
 * A relay the harness started as a child process: close() stops it (SIGTERM, then SIGKILL) and
 * removes its database unless kept. A relay that ended before close() was asked (a crash under
 * load) makes close() throw, with the end of its stderr, so that run's figures are not taken as
 * a relay's: its subscribers and clients only saw silence.
 */
export function childTarget(child: ChildProcess, url: string, dataDir: string, keep: boolean, graceMs: number, stderrTail: () => string = () => ''): Target {
  let closing = false;
  let endedEarly: string | undefined;
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  if (ended()) endedEarly = howEnded(child.exitCode, child.signalCode);
  else child.once('exit', (code, signal) => { if (!closing) endedEarly = howEnded(code, signal); });
  return {
    url,
    pid: child.pid,
    dataDir,
    owned: true,
    async close() {
      closing = true;
      // Not `exitCode === null` alone: a process killed by a signal keeps a null exitCode, and its
      // 'exit' has fired already (waiting for it hung the harness when strfry crashed).
      if (!ended()) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
      if (endedEarly) {
        const tail = stderrTail().trim().split('\n').slice(-3).join(' | ');
        throw new Error(`the relay process (pid ${child.pid}) ended during the run, ${endedEarly}${tail ? `: ${tail}` : ''}`);
      }
    },
  };
}
