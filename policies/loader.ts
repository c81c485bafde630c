import { existsSync, readdirSync } from 'node:fs';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../relay/log.ts';
import { watchDir, type DirWatch } from '../relay/util/watchDir.ts';
import { STAGES, type PolicyModule } from './policy.ts';

/** A policy file that failed to load; what `hamlet policies` and NIP-86 show the operator. */
export interface LoadError {
  file: string;
  error: string;
  /** Unix ms. */
  at: number;
}

const EXTS = ['.ts', '.mts', '.js', '.mjs'];
let generation = 0;

/** Reads the module an operator wrote: default export (factory or policy) or stage functions. */
function policyModuleOf(ns: Record<string, unknown>, file: string): PolicyModule {
  // A .ts file outside an ESM package is compiled as CommonJS; its exports sit one level down.
  const m = ns.default && typeof ns.default === 'object' && 'default' in (ns.default as object) ? (ns.default as Record<string, unknown>) : ns;
  const d = m.default;
  if (typeof d === 'function') return d as PolicyModule;
  const hasStage = (o: unknown) => typeof o === 'object' && o !== null && STAGES.some((s) => typeof (o as Record<string, unknown>)[s] === 'function');
  if (hasStage(d)) return d as PolicyModule;
  if (hasStage(m)) return Object.fromEntries(STAGES.filter((s) => typeof m[s] === 'function').map((s) => [s, m[s]])) as PolicyModule;
  throw new Error(`${file} exports no policy: export default a factory (options, ctx) => policy, or an object with write/read/... methods`);
}

/**
 * The file an entry's `use` names in the policy directory: a path with its extension, or a name
 * tried with each of .ts, .mts, .js, .mjs. Undefined when none exists.
 */
export function locatePolicyFile(dir: string, use: string): string | undefined {
  const direct = isAbsolute(use) ? use : join(resolve(dir), use);
  if (EXTS.includes(extname(use))) return existsSync(direct) ? direct : undefined;
  for (const ext of EXTS) if (existsSync(direct + ext)) return direct + ext;
  return undefined;
}

/**
 * The operator's policy directory: finds the file an entry names, imports it fresh (so an edit
 * takes effect), and watches the directory.
 */
export class PolicyFiles {
  readonly dir: string;
  private watcher: DirWatch | undefined;
  private waiting: NodeJS.Timeout | undefined;
  readonly errors = new Map<string, LoadError>();

  constructor(
    dir: string,
    private readonly log: Logger,
  ) {
    this.dir = resolve(dir);
  }

  /** The file an entry's `use` names, or undefined when there is none. */
  locate(use: string): string | undefined {
    return locatePolicyFile(this.dir, use);
  }

  /** Imports a fresh copy of the file (new module instance each time: hot reload). */
  async import(file: string): Promise<PolicyModule> {
    const n = ++generation;
    const ext = extname(file);
    // tsx (its loader and esbuild's transform) loads with the first TypeScript policy file, not with every relay
    const ns = (ext === '.ts' || ext === '.mts'
      ? await (await import('tsx/esm/api')).tsImport(`${pathToFileURL(file).href}?v=${n}`, import.meta.url)
      : await import(`${pathToFileURL(file).href}?v=${n}`)) as Record<string, unknown>;
    return policyModuleOf(ns, file);
  }

  failed(file: string, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    this.errors.set(file, { file, error, at: Date.now() });
    this.log.error({ file, err: error }, `policy file failed to load, the running version stays: ${error}`);
  }

  loaded(file: string): void {
    this.errors.delete(file);
  }

  /**
   * Calls `changed(file)` shortly after a file in the directory is written (editors write in
   * bursts; 50 ms of quiet). Without the directory there is nothing to watch yet.
   */
  watch(changed: (file: string) => void): void {
    if (this.watcher) return;
    if (!existsSync(this.dir)) {
      // Watch for the directory to appear: an operator may create it while the relay runs.
      this.waiting ??= setInterval(() => {
        if (!existsSync(this.dir)) return;
        clearInterval(this.waiting);
        this.waiting = undefined;
        this.watch(changed);
        for (const name of readdirSync(this.dir)) if (EXTS.includes(extname(name))) changed(join(this.dir, name));
      }, 1000);
      this.waiting.unref();
      return;
    }
    this.watcher = watchDir(this.dir, { accept: (name) => EXTS.includes(extname(name)), changed, debounceMs: 50, log: this.log, what: 'policy directory' });
  }

  close(): void {
    clearInterval(this.waiting);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
