import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHead, type Head, type ModelCard } from '../models/index.ts';

export interface HeadVersion {
  version: number;
  /** File stem: <head>-v<version>.head.json and .card.json. */
  name: string;
  createdAt: string;
  examples: number;
  /** Held-out macro F1, from the card. */
  macroF1: number;
  status: 'pending' | 'approved';
  approvedAt?: string;
  approvedBy?: string;
}

interface RegistryFile {
  format: 'hamlet-head-versions/1';
  active: number | null;
  versions: HeadVersion[];
  /** Every approval and rollback, in order. */
  history: { at: string; action: 'approve' | 'rollback'; version: number | null; by: string }[];
}

/**
 * The versions of the village moderation head in <models.dir>/heads: each trained version with
 * its model card, which one an operator approved (only that one is used), and the history of
 * approvals and rollbacks. One JSON file, replaced atomically.
 */
export class HeadRegistry {
  readonly file: string;

  constructor(
    readonly dir: string,
    readonly head: string,
  ) {
    this.file = join(dir, `${head}.versions.json`);
  }

  read(): RegistryFile {
    if (!existsSync(this.file)) return { format: 'hamlet-head-versions/1', active: null, versions: [], history: [] };
    return JSON.parse(readFileSync(this.file, 'utf8')) as RegistryFile;
  }

  fileName(version: number): string {
    return `${this.head}-v${version}`;
  }

  nextVersion(): number {
    return Math.max(0, ...this.read().versions.map((v) => v.version)) + 1;
  }

  add(version: number, card: ModelCard): HeadVersion {
    const r = this.read();
    const v: HeadVersion = { version, name: this.fileName(version), createdAt: card.createdAt, examples: card.counts.examples, macroF1: card.metrics.macroF1, status: 'pending' };
    r.versions.push(v);
    this.write(r);
    return v;
  }

  /** Makes a version the one used; throws when it does not exist. */
  approve(version: number, by: string): HeadVersion {
    const r = this.read();
    const v = r.versions.find((x) => x.version === version);
    if (!v) throw new Error(`no version ${version} of ${this.head}; trained: ${r.versions.map((x) => x.version).join(', ') || 'none'}`);
    v.status = 'approved';
    v.approvedAt = new Date().toISOString();
    v.approvedBy = by;
    r.active = version;
    r.history.push({ at: v.approvedAt, action: 'approve', version, by });
    this.write(r);
    return v;
  }

  /** Goes back to the version active before the current one (none: no head is used). */
  rollback(by: string): number | null {
    const r = this.read();
    if (r.active === null) throw new Error(`no version of ${this.head} is active`);
    // Approvals push a version, rollbacks pop one: the stack's top is the active version.
    const stack: number[] = [];
    for (const h of r.history) {
      if (h.action === 'approve' && h.version !== null) stack.push(h.version);
      else stack.pop();
    }
    stack.pop();
    const previous = stack.length ? stack[stack.length - 1]! : null;
    r.active = previous;
    r.history.push({ at: new Date().toISOString(), action: 'rollback', version: previous, by });
    this.write(r);
    return previous;
  }

  /** The approved head in use, with its version; undefined when none is. */
  active(): { version: number; head: Head; card: ModelCard } | undefined {
    const { active } = this.read();
    if (active === null) return undefined;
    const name = this.fileName(active);
    return { version: active, head: loadHead(join(this.dir, `${name}.head.json`)), card: JSON.parse(readFileSync(join(this.dir, `${name}.card.json`), 'utf8')) as ModelCard };
  }

  card(version: number): ModelCard {
    return JSON.parse(readFileSync(join(this.dir, `${this.fileName(version)}.card.json`), 'utf8')) as ModelCard;
  }

  private write(r: RegistryFile): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(r, null, 2) + '\n');
    renameSync(tmp, this.file);
  }
}
