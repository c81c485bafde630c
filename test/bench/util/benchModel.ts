import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINILM_SHAPE, writeRandomBert } from '../../fixtures/tinyModels.ts';

/** Where the models and labels scenarios keep the generated model, as a models.dir. */
export const BENCH_MODELS_DIR = join(process.cwd(), '.bench', 'models');
/** A random-weight model of all-MiniLM-L6-v2's exact shape, under BENCH_MODELS_DIR. */
export const BENCH_MODEL_NAME = 'minilm-shaped-random';
const SHAPE_TAG = JSON.stringify({ ...MINILM_SHAPE, seed: 7, v: 1 });

/** Generates the model (about 90 MB) unless the same shape is already there; returns its folder. */
export function ensureBenchModel(log: (line: string) => void, scenario: string): string {
  const folder = join(BENCH_MODELS_DIR, BENCH_MODEL_NAME);
  const tagFile = join(folder, 'shape.json');
  if (!existsSync(tagFile) || readFileSync(tagFile, 'utf8') !== SHAPE_TAG) {
    log(`${scenario}: generating the MiniLM-shaped random model (about 90 MB)`);
    rmSync(folder, { recursive: true, force: true });
    writeRandomBert(folder, MINILM_SHAPE, { seed: 7 });
    writeFileSync(tagFile, SHAPE_TAG);
  }
  return folder;
}
