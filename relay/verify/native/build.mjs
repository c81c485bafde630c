#!/usr/bin/env node
// Builds the optional native Schnorr verifier (run by `npm install`). It never fails the
// install: when something is missing it prints one line and exits 0, and the relay then
// uses tiny-secp256k1 (WASM). Set HAMLET_SKIP_NATIVE=1 to skip it on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const addon = join(here, 'build', 'Release', 'hamlet_secp256k1.node');
const say = (line) => console.log(`hamlet native verifier: ${line}`);
const skip = (why) => {
  say(`not built (${why}); the WASM verifier (tiny-secp256k1) will be used.`);
  process.exit(0);
};

if (process.env.HAMLET_SKIP_NATIVE === '1') skip('HAMLET_SKIP_NATIVE=1');

const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const cc = process.env.CC ?? 'cc';
if (!has(cc)) skip(`no C compiler (${cc})`);
if (!has('make')) skip('no make');
if (!has(process.env.PYTHON ?? 'python3')) skip('no python3 (node-gyp needs it)');

// The schnorrsig header only exists when libsecp256k1 was built with that module (Debian's is).
const includeDirs = ['/usr/include', '/usr/local/include', '/opt/homebrew/include'];
const pkg = spawnSync('pkg-config', ['--cflags-only-I', 'libsecp256k1'], { encoding: 'utf8' });
if (pkg.status === 0) includeDirs.unshift(...pkg.stdout.split(/\s+/).filter((f) => f.startsWith('-I')).map((f) => f.slice(2)));
if (!includeDirs.some((d) => existsSync(join(d, 'secp256k1_schnorrsig.h')))) {
  skip('libsecp256k1 headers with the schnorrsig module not found; install libsecp256k1-dev');
}

// node-gyp: the one npm runs us with, else the copy bundled with npm, else one on PATH.
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch { /* not installed locally */ }
  const found = candidates.find((c) => c && existsSync(c));
  return found ? [process.execPath, found] : has('node-gyp') ? ['node-gyp'] : null;
}
const gyp = findNodeGyp();
if (!gyp) skip('node-gyp not found');

// Node's headers: npm passes its nodedir as npm_config_nodedir (node-gyp reads it); run by
// hand, use the headers installed beside this node binary rather than downloading them.
const args = [...gyp.slice(1), 'rebuild', '--release'];
const prefix = join(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const started = Date.now();
const run = spawnSync(gyp[0], args, { cwd: here, encoding: 'utf8', env: process.env, timeout: 300_000 });
if (run.status !== 0 || !existsSync(addon)) {
  const lines = `${run.stderr ?? ''}\n${run.stdout ?? ''}`.split('\n').map((l) => l.trim());
  const hint = lines.find((l) => /error|not found|No such file/i.test(l) && !/^gyp (info|ERR! (stack|System|command|cwd|node|not ok))/.test(l)) ?? run.error?.message ?? `exit ${run.status}`;
  rmSync(join(here, 'build'), { recursive: true, force: true });
  skip(`build failed: ${hint.slice(0, 200)}`);
}

// A build that loads but cannot verify must not be left in place for the relay to pick up.
try {
  const lib = createRequire(import.meta.url)(addon);
  if (typeof lib.verify !== 'function') throw new Error('no verify export');
  say(`built ${lib.library} addon in ${((Date.now() - started) / 1000).toFixed(1)} s (${addon}).`);
} catch (err) {
  rmSync(join(here, 'build'), { recursive: true, force: true });
  skip(`built but does not load: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
}
