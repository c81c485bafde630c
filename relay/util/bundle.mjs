// Plain JS (the entry point runs it before any TypeScript loader exists); types in bundle.d.mts.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

/*
 * Hamlet runs from its TypeScript sources. Through tsx every process and every worker thread
 * pays for a loader thread (a second V8 isolate) and compiles its modules one by one: about
 * 30 MB and a few hundred milliseconds each. So the entry points (the CLI, each worker) are
 * bundled by esbuild into plain ES modules once per version of the code, and those are loaded.
 * npm packages stay imports, so the bundles live in node_modules/.cache where they resolve;
 * modules reached through a dynamic import() stay separate chunks, loaded (with their packages:
 * the Redis clients, the model runtime) only when used. File names carry content hashes: a
 * changed source never meets a stale bundle.
 *
 * A build whose sources have not changed since the last one is not run again: its manifest lists
 * the files it read, with a digest of their contents, and the files it wrote. Checking reads the
 * sources (about 1 MB, a few milliseconds); esbuild, ~0.6 s of a start, its module and its service
 * process (~15 MB, which stayed up as long as the relay) then never load.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'hamlet');
// Files of older versions go after a month unused (a relay started from one may still load its chunks).
const STALE_MS = 30 * 86_400_000;

// A regular expression, not the words: this file is itself part of the CLI's bundle.
const IMPORT_META_URL = /\bimport\.meta\.url\b/g;

const SELF = fileURLToPath(import.meta.url);
const MANIFESTS = join(BUNDLE_DIR, 'manifests');
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/**
 * Each module keeps its own `import.meta.url`: files beside it (the native addon, pages' assets) are
 * found from it. This file too (.mjs): inside the CLI's bundle its ROOT was the bundle directory's
 * parent, so every worker bundle the relay asked for failed and its threads ran through tsx.
 */
const ownUrls = (read) => ({
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.([cm]?ts|mjs)$/ }, async (args) => {
      const bytes = await readFile(args.path);
      // the digest of what was built, not of what a file holds by the time the build ends
      read.set(args.path, sha256(bytes));
      return { contents: bytes.toString('utf8').replace(IMPORT_META_URL, JSON.stringify(pathToFileURL(args.path).href)), loader: args.path.endsWith('.mjs') ? 'js' : 'ts' };
    });
  },
});

/**
 * One digest of a build's inputs (ROOT-relative paths, each with the hash of its contents) and of
 * what else shapes its output: this file (the build options), tsconfig.json, package.json, esbuild's version.
 */
function digestOf(inputs, hashOf) {
  const h = createHash('sha256');
  const esbuild = createRequire(import.meta.url).resolve('esbuild/package.json');
  for (const file of [SELF, join(ROOT, 'tsconfig.json'), join(ROOT, 'package.json'), esbuild]) h.update(`${sha256(readFileSync(file))}\n`);
  for (const rel of [...inputs].sort()) h.update(`${rel} ${hashOf(rel)}\n`);
  return h.digest('hex');
}

const manifestOf = (path) => join(MANIFESTS, `${sha256(path).slice(0, 16)}.json`);

/** The last bundle of `path` when nothing it was built from has changed and all its files are there (marked as in use); else undefined. */
function unchanged(path) {
  try {
    const m = JSON.parse(readFileSync(manifestOf(path), 'utf8'));
    // bytes, not strings: the check allocates no megabyte of source text in the relay's heap
    if (m.entry !== path || digestOf(m.inputs, (rel) => sha256(readFileSync(join(ROOT, rel)))) !== m.digest) return undefined;
    const now = new Date();
    // throws if one has gone (pruned, or the cache cleared)
    for (const f of [...m.outputs, manifestOf(path)]) utimesSync(f, now, now);
    prune(new Set(m.outputs));
    return m.main;
  } catch {
    return undefined;
  }
}

const built = new Map();

/** The path of the plain-JS bundle of a TypeScript module (built once per process); rejects if it cannot be built or written. */
export function bundleModule(entry) {
  const key = String(entry);
  let file = built.get(key);
  if (!file) {
    file = bundle(entry instanceof URL ? fileURLToPath(entry) : entry);
    built.set(key, file);
    // a failure is not remembered: the next caller tries again
    file.catch(() => built.delete(key));
  }
  return file;
}

async function bundle(path) {
  const last = unchanged(path);
  if (last) return last;
  const { build } = await import('esbuild');
  const read = new Map();
  const out = await build({
    entryPoints: [path],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: BUNDLE_DIR,
    entryNames: '[dir]/[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    outbase: ROOT,
    // paths in the metafile are relative to this, whatever directory the command runs in
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [ownUrls(read)],
  });
  for (const f of out.outputFiles) writeOnce(f.path, f.contents);
  const rel = path.slice(ROOT.length);
  const [entryOut] = Object.entries(out.metafile.outputs).find(([, o]) => o.entryPoint === rel) ?? [];
  if (!entryOut) throw new Error(`esbuild gave no output for ${rel}`);
  const outputs = out.outputFiles.map((f) => f.path);
  const main = join(ROOT, entryOut);
  const inputs = Object.keys(out.metafile.inputs);
  const digest = digestOf(inputs, (r) => read.get(join(ROOT, r)) ?? sha256(readFileSync(join(ROOT, r))));
  writeAside(manifestOf(path), JSON.stringify({ entry: path, main, outputs, inputs, digest }));
  prune(new Set(outputs));
  return main;
}

/** Another process or thread may write the same file at the same moment: write aside, then rename (atomic). */
function writeOnce(path, contents) {
  try {
    // there already: marked as in use, so pruning leaves it
    const now = new Date();
    utimesSync(path, now, now);
    return;
  } catch {
    // not there yet
  }
  writeAside(path, contents);
}

function writeAside(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}-${threadId}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/** Files no build has used for a month go; this build's own never do. */
function prune(current, dir = BUNDLE_DIR) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    try {
      if (entry.isDirectory()) prune(current, path);
      else if (!current.has(path) && Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
    } catch {
      // gone already
    }
  }
}
