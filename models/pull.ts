import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import type { ManifestModel } from './manifest.ts';
import { MARKER_FILE, sha256File, type InstalledMarker } from './installed.ts';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

export class ChecksumError extends Error {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`checksum mismatch for ${file}: expected sha256 ${expected}, got ${actual}; the file was discarded`);
    this.name = 'ChecksumError';
  }
}

export interface PullProgress {
  file: string;
  received: number;
  /** Bytes expected (manifest size, else Content-Length), when known. */
  total: number | undefined;
}

export interface PullOptions {
  model: ManifestModel;
  /** models.dir: the model lands in <dir>/<repo>/. */
  dir: string;
  /** The hub (or a mirror): files come from <baseUrl>/<repo>/resolve/<revision>/<path>. */
  baseUrl?: string;
  onFileStart?(p: PullProgress): void;
  onProgress?(p: PullProgress): void;
  onFileDone?(p: PullProgress & { sha256: string; pinned: boolean; skipped: boolean }): void;
}

/**
 * Downloads a manifest model's files, each into a .part file while hashing it, checks the
 * sha256 (and size) against the manifest, and only then moves it into place. Files already
 * present with the pinned digest are kept. Writes hamlet-model.json when every file is in.
 */
export async function pullModel(o: PullOptions): Promise<InstalledMarker> {
  const base = (o.baseUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  const folder = join(o.dir, o.model.repo);
  const files: InstalledMarker['files'] = [];
  for (const f of o.model.files) {
    const target = join(folder, f.path);
    mkdirSync(dirname(target), { recursive: true });
    if (f.sha256 && existsSync(target) && (await sha256File(target)) === f.sha256) {
      const size = statSync(target).size;
      o.onFileDone?.({ file: f.path, received: size, total: size, sha256: f.sha256, pinned: true, skipped: true });
      files.push({ path: f.path, size, sha256: f.sha256, pinned: true });
      continue;
    }
    const url = `${base}/${o.model.repo}/resolve/${encodeURIComponent(o.model.revision)}/${f.path}`;
    const res = await fetch(url, { redirect: 'follow' });
    if (!res.ok || !res.body) throw new Error(`download failed: HTTP ${res.status} for ${url}`);
    const length = Number(res.headers.get('content-length'));
    const progress: PullProgress = { file: f.path, received: 0, total: f.size ?? (Number.isFinite(length) && length > 0 ? length : undefined) };
    o.onFileStart?.(progress);
    const part = `${target}.part`;
    const hash = createHash('sha256');
    const out = createWriteStream(part);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
        progress.received += chunk.byteLength;
        o.onProgress?.(progress);
      }
      out.end();
      await once(out, 'finish');
    } catch (err) {
      out.destroy();
      rmSync(part, { force: true });
      throw err;
    }
    const digest = hash.digest('hex');
    if (f.sha256 && digest !== f.sha256) {
      rmSync(part, { force: true });
      throw new ChecksumError(f.path, f.sha256, digest);
    }
    if (f.size !== undefined && progress.received !== f.size) {
      rmSync(part, { force: true });
      throw new Error(`size mismatch for ${f.path}: expected ${f.size} bytes, got ${progress.received}; the file was discarded`);
    }
    renameSync(part, target);
    o.onFileDone?.({ ...progress, sha256: digest, pinned: f.sha256 !== null, skipped: false });
    files.push({ path: f.path, size: progress.received, sha256: digest, pinned: f.sha256 !== null });
  }
  const { files: _omit, ...model } = o.model;
  const marker: InstalledMarker = { name: o.model.name, repo: o.model.repo, revision: o.model.revision, source: base, pulledAt: new Date().toISOString(), model, files };
  writeFileSync(join(folder, MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
  return marker;
}
