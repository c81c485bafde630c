import { Worker, type WorkerOptions } from 'node:worker_threads';
import { bundleModule } from './bundle.mjs';

/**
 * Node 20 workers do not inherit the tsx loader, so a TypeScript worker is started through a
 * one-line data: module that registers tsx and imports the real file. For a compiled .js
 * file it is a plain Worker.
 */
function tsWorkerEntry(file: URL): URL {
  if (!file.pathname.endsWith('.ts')) return file;
  const api = import.meta.resolve('tsx/esm/api');
  const src = `import { register } from ${JSON.stringify(api)}; register(); const m = await import(${JSON.stringify(file.href)}); export default m.default;`;
  return new URL('data:text/javascript,' + encodeURIComponent(src));
}

export function startTsWorker(file: URL, options?: WorkerOptions): Worker {
  return new Worker(tsWorkerEntry(file), options);
}

/**
 * A worker thread running a TypeScript module from its plain-JS bundle (bundle.mjs), or through
 * tsx where no bundle can be written (a read-only install).
 */
export async function startBundledWorker(file: URL, options?: WorkerOptions): Promise<Worker> {
  const bundle = await bundleModule(file).catch(() => undefined);
  return bundle ? new Worker(bundle, options) : startTsWorker(file, options);
}
