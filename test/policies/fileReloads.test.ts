import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileReloads } from '../../policies/fileReloads.ts';
import { PolicyFiles } from '../../policies/loader.ts';
import type { FileStep } from '../../policies/steps.ts';
import { silent, step } from './helpers.ts';

describe('file reloads', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('loads a file again only when its content changed (one save may arrive as several events), unless forced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-reloads-'));
    dirs.push(dir);
    const file = join(dir, 'p.mjs');
    writeFileSync(file, 'export const write = () => ({ action: "accept" });');
    const files = new PolicyFiles(dir, silent);
    let loads = 0;
    const fileStep: FileStep = {
      use: 'p',
      file,
      step: step(undefined, 'p'),
      load: async (f) => {
        loads++;
        return files.import(f).then((m) => m as never);
      },
    };
    const reloads = new FileReloads(files, silent, () => [fileStep]);
    try {
      await reloads.reload(file);
      await reloads.reload(file);
      expect(loads).toBe(1);
      writeFileSync(file, 'export const write = () => ({ action: "reject", reason: "blocked: changed" });');
      await reloads.reload(file);
      expect(loads).toBe(2);
      expect(await fileStep.step.current?.write?.({} as never)).toEqual({ action: 'reject', reason: 'blocked: changed' });
      await reloads.reloadAll();
      expect(loads).toBe(3);
    } finally {
      files.close();
    }
  });
});
