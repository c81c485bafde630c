import { createHash } from 'node:crypto';
import { mkdirSync, statSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartError } from './startError.ts';

/**
 * One relay per data directory. The relay holds a local socket named after the directory's
 * device and inode (so two paths to one directory share it). The kernel frees the name when the
 * process dies, however it dies, so a relay restarted after a crash never waits for a stale lock,
 * and binding is atomic, so two relays starting together cannot both win. On Linux the name is
 * an abstract socket (no file), on Windows a named pipe; elsewhere a socket file in the temp
 * directory, taken over when nothing answers on it. CLI writers (import, delete, sync) do not
 * take it: LMDB lets them share the directory with the running relay.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

function lockAddress(dataDir: string): { path: string; file: boolean } {
  const st = statSync(dataDir);
  const key = createHash('sha256').update(`${st.dev}:${st.ino}`).digest('hex').slice(0, 24);
  if (process.platform === 'linux') return { path: `\0hamlet-data-${key}`, file: false };
  if (process.platform === 'win32') return { path: `\\\\?\\pipe\\hamlet-data-${key}`, file: false };
  return { path: join(tmpdir(), `hamlet-data-${key}.sock`), file: true };
}

/** What the holder says about itself (its pid), or undefined when nothing answers. */
function askHolder(path: string): Promise<{ pid?: number } | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const socket = connect(path);
    const done = (v: { pid?: number } | undefined) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(2000, () => done({}));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => {
      try {
        done(JSON.parse(text) as { pid?: number });
      } catch {
        done({});
      }
    });
    socket.on('error', () => done(undefined));
  });
}

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Whoever asks is told who holds the directory.
    const server = createServer((c) => c.end(JSON.stringify({ pid: process.pid })));
    server.once('error', reject);
    server.listen(path, () => {
      server.removeListener('error', reject);
      // The lock must never keep the process alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

/** Takes the data directory for this relay, or throws a StartError naming the holder. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true });
  const { path, file } = lockAddress(dataDir);
  let server: Server | undefined;
  for (let attempt = 0; !server; attempt++) {
    try {
      server = await listen(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      const holder = await askHolder(path);
      if (holder === undefined && file && attempt === 0) {
        // A socket file left by a relay that died: nobody answers on it.
        unlinkSync(path);
        continue;
      }
      const who = holder?.pid ? `another relay (pid ${holder.pid})` : 'another process';
      throw new StartError(`data directory ${dataDir} is in use by ${who}; one relay per data directory`);
    }
  }
  const held = server;
  return {
    release: () => new Promise<void>((resolve) => held.close(() => resolve())),
  };
}
