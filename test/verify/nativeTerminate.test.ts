import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIVE_ADDON_PATH } from '../../relay/verify/verifiers/native.ts';

// Worker threads that are terminated while calling into the addon (relay shutdown, a pool
// shrinking, a crashed sibling) must not take the process down. Run in a child process so a
// crash shows up as an exit code instead of killing the test runner.
const script = (fn: 'sign' | 'verify') => `
const { Worker } = require('node:worker_threads');
const src = \`
const { parentPort } = require('node:worker_threads');
const addon = require(${JSON.stringify(NATIVE_ADDON_PATH)});
const k = new Uint8Array(32).fill(1), m = new Uint8Array(32), s = new Uint8Array(64);
parentPort.postMessage('go');
for (;;) ${fn === 'sign' ? 'addon.sign(m, k, m)' : 'addon.verify(s, m, k)'};\`;
(async () => {
  for (let i = 0; i < 8; i++) {
    const ws = [new Worker(src, { eval: true }), new Worker(src, { eval: true })];
    await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
    await new Promise((r) => setTimeout(r, 5 + i * 7));
    await Promise.all(ws.map((w) => w.terminate()));
  }
  console.log('survived');
})();`;

describe.skipIf(!existsSync(NATIVE_ADDON_PATH))('native addon under worker termination', () => {
  for (const fn of ['sign', 'verify'] as const) {
    it(`${fn}: workers terminated mid-call do not crash the process`, () => {
      const r = spawnSync(process.execPath, ['-e', script(fn)], { encoding: 'utf8', timeout: 60_000 });
      expect({ status: r.status, signal: r.signal, out: r.stdout.trim() }).toEqual({ status: 0, signal: null, out: 'survived' });
    });
  }
});
