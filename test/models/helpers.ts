import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { modelsSection, type ModelsConfig } from '../../config/sections/models.ts';

export function tempDir(prefix = 'hamlet-models-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** models config with defaults, as the relay would parse it. */
export function modelsConfig(overrides: Partial<ModelsConfig>): ModelsConfig {
  return modelsSection.parse(overrides);
}

/** A real pino logger whose JSON lines are collected. */
export function capturingLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const log = pino({ level: 'debug' }, stream);
  return {
    log,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
export const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));
