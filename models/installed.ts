import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ManifestModel } from './manifest.ts';

/** Written by `hamlet models pull` into each model folder it completes. */
export const MARKER_FILE = 'hamlet-model.json';

export interface InstalledMarker {
  name: string;
  repo: string;
  revision: string;
  source: string;
  pulledAt: string;
  model: Omit<ManifestModel, 'files'>;
  files: { path: string; size: number; sha256: string; pinned: boolean }[];
}

export function readMarker(folder: string): InstalledMarker | undefined {
  const file = join(folder, MARKER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as InstalledMarker;
  } catch {
    return undefined;
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The ONNX file a dtype selects, as transformers.js names it. */
export function onnxFileFor(dtype: string): string {
  const suffix: Record<string, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4' };
  return `onnx/model${suffix[dtype] ?? ''}.onnx`;
}

/** Folders under `dir` (up to two levels: "name" or "owner/name") that hold a config.json and an onnx/ folder. */
export function findModelFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const visit = (folder: string, depth: number): void => {
    if (existsSync(join(folder, 'config.json')) && existsSync(join(folder, 'onnx'))) return void out.push(relative(dir, folder));
    if (depth === 0) return;
    for (const entry of readdirSync(folder)) {
      const child = join(folder, entry);
      if (!entry.startsWith('.') && statSync(child).isDirectory()) visit(child, depth - 1);
    }
  };
  for (const entry of readdirSync(dir)) {
    const child = join(dir, entry);
    if (!entry.startsWith('.') && statSync(child).isDirectory()) visit(child, 1);
  }
  return out.sort();
}
