import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelsConfig } from '../config/sections/models.ts';
import { BUILTIN_EMBEDDING_DIMS, builtinEmbeddingInfo } from './builtin/embedder.ts';
import { builtinToxicityInfo } from './builtin/toxicity.ts';
import { findModelFolders, readMarker } from './installed.ts';
import { DEFAULT_MANIFEST, findManifestModel, type Manifest } from './manifest.ts';
import { resolveModel } from './resolve.ts';

export interface ModelRow {
  name: string;
  /** Folder under models.dir ("" for built-ins). */
  folder: string;
  installed: boolean;
  /** "embedding" / "toxicity" when config selects it and it would load. */
  activeFor: string[];
  version: string;
  description: string;
}

export interface ModelsListing {
  rows: ModelRow[];
  /** Per task: the model that would be active and why. */
  active: { task: 'embedding' | 'toxicity'; model: string; version: string; reason: string }[];
}

/** What is installed under models.dir, what the manifest offers, and what config makes active. */
export async function listModels(config: ModelsConfig, manifest: Manifest = DEFAULT_MANIFEST): Promise<ModelsListing> {
  const active: ModelsListing['active'] = [];
  const tasks = [
    { task: 'embedding' as const, name: config.embedding, hfTask: 'feature-extraction' as const, builtin: builtinEmbeddingInfo(BUILTIN_EMBEDDING_DIMS) },
    { task: 'toxicity' as const, name: config.toxicity, hfTask: 'text-classification' as const, builtin: builtinToxicityInfo() },
  ];
  const activeFolders = new Map<string, string[]>();
  for (const t of tasks) {
    if (t.name === 'builtin') {
      active.push({ task: t.task, model: t.builtin.id, version: t.builtin.version, reason: 'built-in, as configured' });
      continue;
    }
    const r = await resolveModel(config.dir, t.name, t.hfTask, manifest);
    if (r.ok) {
      active.push({ task: t.task, model: r.model.info.id, version: r.model.info.version, reason: `local model "${t.name}"` });
      const folder = findManifestModel(t.name, manifest)?.repo ?? t.name;
      activeFolders.set(folder, [...(activeFolders.get(folder) ?? []), t.task]);
    } else {
      const fallback = config.fallbackToBuiltin ? `built-in fallback (${r.reason})` : `none: ${r.reason}`;
      active.push({ task: t.task, model: config.fallbackToBuiltin ? t.builtin.id : '-', version: config.fallbackToBuiltin ? t.builtin.version : '-', reason: fallback });
    }
  }
  const rows: ModelRow[] = [];
  const seen = new Set<string>();
  for (const m of Object.values(manifest)) {
    const marker = readMarker(join(config.dir, m.repo));
    seen.add(m.repo);
    rows.push({
      name: m.name,
      folder: m.repo,
      installed: marker !== undefined || existsSync(join(config.dir, m.repo, 'config.json')),
      activeFor: activeFolders.get(m.repo) ?? activeFolders.get(m.name) ?? [],
      version: marker ? `${m.revision.slice(0, 12)}` : '',
      description: m.description,
    });
  }
  for (const folder of findModelFolders(config.dir)) {
    if (seen.has(folder)) continue;
    rows.push({ name: folder, folder, installed: true, activeFor: activeFolders.get(folder) ?? [], version: '', description: 'local model folder' });
  }
  for (const t of tasks) {
    const a = active.find((x) => x.task === t.task)!;
    if (a.model === t.builtin.id) {
      rows.push({ name: t.builtin.id, folder: '', installed: true, activeFor: [t.task], version: t.builtin.version, description: `built-in ${t.task} model (no download)` });
    }
  }
  return { rows, active };
}
