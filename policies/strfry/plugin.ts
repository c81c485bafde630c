import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from '../../relay/log.ts';
import type { Decision, EventSource, WriteInput } from '../../relay/policy.ts';
import { ACCEPT, withPrefix } from '../decide.ts';

export interface StrfryPluginOptions {
  /** The plugin executable (run directly), or a shell command line when it contains spaces. */
  command: string;
  cwd?: string;
  env?: Record<string, string>;
  /** First restart delay after a crash; doubles on crashes in a row, up to 5 s. */
  restartDelayMs?: number;
  /** Pending requests are dropped after this long (the pipeline's own budget answers first). */
  requestTimeoutMs?: number;
  log: Logger;
}

interface Pending {
  resolve(d: Decision): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** strfry's names for where an event came from. */
function sourceType(source: EventSource, ip: string): string {
  if (source === 'import' || source === 'internal') return 'Import';
  if (source === 'sync') return 'Sync';
  return ip.includes(':') && !ip.startsWith('::ffff:') ? 'IP6' : 'IP4';
}

/**
 * Runs a strfry write-policy plugin unchanged: one JSON request per line on its stdin, one JSON
 * answer per line on its stdout, correlated by event id so several requests can be in flight.
 * A crashed plugin fails its pending requests (the step's onError decides) and is restarted
 * with backoff; like strfry, an edited plugin file is restarted on the next request.
 */
export class StrfryPlugin {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<string, Pending[]>();
  private crashes = 0;
  private notBefore = 0;
  private mtime = 0;
  private lastStat = 0;
  private closed = false;

  constructor(private readonly o: StrfryPluginOptions) {}

  /** Requests in flight (tests, metrics). */
  get inFlight(): number {
    let n = 0;
    for (const q of this.pending.values()) n += q.length;
    return n;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  decide(input: WriteInput): Promise<Decision> {
    if (this.closed) return Promise.reject(new Error('strfry plugin closed'));
    this.checkEdited();
    const child = this.ensure();
    if (!child) return Promise.reject(new Error('strfry plugin is restarting after a crash'));
    const { event, conn, receivedAt, source } = input;
    const authed = conn.authed.values().next().value;
    const request = {
      type: 'new',
      event,
      receivedAt: Math.floor(receivedAt / 1000),
      sourceType: sourceType(source, conn.ip),
      sourceInfo: source === 'client' ? conn.ip : '',
      ...(authed ? { authed } : {}),
    };
    return new Promise<Decision>((resolve, reject) => {
      const timer = setTimeout(() => this.drop(event.id, entry, new Error('strfry plugin did not answer')), this.o.requestTimeoutMs ?? 30_000);
      const entry: Pending = { resolve, reject, timer };
      const queue = this.pending.get(event.id);
      if (queue) queue.push(entry);
      else this.pending.set(event.id, [entry]);
      child.stdin!.write(JSON.stringify(request) + '\n');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('strfry plugin closed'));
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin?.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(kill);
    }
  }

  private drop(id: string, entry: Pending, err: Error): void {
    const q = this.pending.get(id);
    const i = q?.indexOf(entry) ?? -1;
    if (q && i >= 0) {
      q.splice(i, 1);
      if (q.length === 0) this.pending.delete(id);
      entry.reject(err);
    }
  }

  private failAll(err: Error): void {
    for (const q of this.pending.values()) {
      for (const p of q) {
        clearTimeout(p.timer);
        p.reject(err);
      }
    }
    this.pending.clear();
  }

  /** strfry restarts a plugin whose file changed; so do we (checked at most once a second). */
  private checkEdited(): void {
    const now = Date.now();
    if (now - this.lastStat < 1000 || this.o.command.includes(' ')) return;
    this.lastStat = now;
    try {
      const m = statSync(this.o.command).mtimeMs;
      if (this.mtime && m !== this.mtime && this.child) {
        this.o.log.info({ plugin: this.o.command }, 'strfry plugin file changed; restarting it');
        const old = this.child;
        this.child = undefined;
        old.removeAllListeners('exit');
        // Requests already written to the old process are answered by it before it exits.
        old.once('exit', () => undefined);
        old.stdin?.end();
      }
      this.mtime = m;
    } catch {
      // Not a file path (a command on PATH): nothing to watch.
    }
  }

  private ensure(): ChildProcess | undefined {
    if (this.child) return this.child;
    if (Date.now() < this.notBefore) return undefined;
    const shell = this.o.command.includes(' ');
    const child = spawn(shell ? `exec ${this.o.command}` : this.o.command, [], {
      cwd: this.o.cwd,
      env: { ...process.env, ...this.o.env },
      shell,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdin!.on('error', () => undefined); // EPIPE after a crash; 'exit' handles it
    child.on('error', (err) => {
      this.o.log.error({ plugin: this.o.command, err: err.message }, 'strfry plugin could not start');
      this.gone(child, err.message);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => this.answer(line));
    createInterface({ input: child.stderr! }).on('line', (line) => this.o.log.info({ plugin: this.o.command }, `plugin: ${line}`));
    child.on('exit', (code, signal) => this.gone(child, String(signal ?? code)));
    return child;
  }

  /** The plugin died (or never started): fail what it owed and back off before a restart. */
  private gone(child: ChildProcess, why: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.closed) return;
    this.crashes++;
    const delay = Math.min(5000, (this.o.restartDelayMs ?? 100) * 2 ** (this.crashes - 1));
    this.notBefore = Date.now() + delay;
    this.o.log.warn({ plugin: this.o.command, why, restartInMs: delay }, 'strfry plugin exited');
    this.failAll(new Error(`strfry plugin exited (${why})`));
  }

  private answer(line: string): void {
    let msg: { id?: unknown; action?: unknown; msg?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      this.o.log.warn({ plugin: this.o.command, line: line.slice(0, 200) }, 'strfry plugin wrote a line that is not JSON');
      return;
    }
    const id = typeof msg.id === 'string' ? msg.id : '';
    const q = this.pending.get(id);
    const entry = q?.shift();
    if (!entry) {
      this.o.log.warn({ plugin: this.o.command, id }, 'strfry plugin answered an id nobody asked about');
      return;
    }
    if (q!.length === 0) this.pending.delete(id);
    clearTimeout(entry.timer);
    this.crashes = 0;
    const text = typeof msg.msg === 'string' ? msg.msg : '';
    if (msg.action === 'accept') entry.resolve(ACCEPT);
    else if (msg.action === 'reject' || msg.action === 'shadowReject') entry.resolve({ action: msg.action, reason: withPrefix(text || 'blocked: refused by plugin') });
    else entry.reject(new Error(`strfry plugin answered unknown action ${JSON.stringify(msg.action)}`));
  }
}
