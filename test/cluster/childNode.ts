import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/hamlet.js', import.meta.url));

/** A cluster node run as `node bin/hamlet.js start`, so it can be killed -9 like a real one. */
export interface ChildNode {
  proc: ChildProcess;
  url: string;
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The node's config file: the core only (no DVMs, labeler or policies), one cluster section. */
export function writeNodeConfig(dir: string, cluster: Record<string, unknown>): string {
  const toml = (v: unknown): string => (Array.isArray(v) ? `[${v.map(toml).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v));
  const file = join(dir, 'hamlet.toml');
  writeFileSync(
    file,
    `[log]\nlevel = "info"\npretty = "never"\n[verify]\nthreads = 1\n[policies]\nconnection = []\nwrite = []\nread = []\n[dvms]\nenabled = false\n[labels]\nenabled = false\n` +
      `[cluster]\nenabled = true\n${Object.entries(cluster).map(([k, v]) => `${k} = ${toml(v)}`).join('\n')}\n`,
  );
  return file;
}

export function startChildNode(configFile: string, dataDir: string, port: number, timeoutMs = 30_000): Promise<ChildNode> {
  const proc = spawn(process.execPath, [BIN, 'start', '-c', configFile, '-d', dataDir, '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const node: ChildNode = {
    proc,
    url: `ws://127.0.0.1:${port}`,
    output: () => out,
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`node did not start in ${timeoutMs} ms:\n${out.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('joined the stream') && out.includes('relay listening')) {
        clearTimeout(timer);
        resolve(node);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`node exited before listening:\n${out.slice(-2000)}`));
    });
  });
}
