// Loaded into a relay child with `--import` (plain JavaScript: it loads before tsx). On SIGUSR2
// it collects garbage (the child runs with --expose-gc) and writes the process's memory figures
// to memoryProbeFile(pid), so a scenario can read memory after GC without sharing the relay's thread.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = join(tmpdir(), `hamlet-memprobe-${process.pid}.json`);
let seq = 0;

process.on('SIGUSR2', () => {
  // two full collections: the first may only run finalizers that free more for the second
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  const out = { seq: ++seq, rss: kb('VmRSS'), rssAnon: kb('RssAnon'), heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, gc: typeof globalThis.gc === 'function' };
  writeFileSync(`${file}.tmp`, JSON.stringify(out));
  renameSync(`${file}.tmp`, file);
});
