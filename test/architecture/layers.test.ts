import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');
const LAYERS = ['bin', 'cli', 'config', 'relay', 'models', 'policies', 'dvms', 'moderation', 'commons', 'groups', 'cluster', 'federation', 'pages'].filter((d) => existsSync(join(root, d)));

function cruise(cwd: string, dirs: string[]) {
  const r = spawnSync(depcruise, ['--config', config, '--output-type', 'err', ...dirs], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('layers (.dependency-cruiser.cjs)', () => {
  it('config → relay → models → policies, dvms → cli → bin: no upward import, no cycle', () => {
    const { status, output } = cruise(root, LAYERS);
    expect(output).toMatch(/no dependency violations found/);
    expect(status).toBe(0);
  });

  it('the rules bite: an upward import, a cycle and policies importing dvms are each reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-layers-'));
    try {
      const file = (path: string, text: string) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } }));
      file('relay/core.ts', "import { step } from '../policies/step.ts';\nexport const core = step;\n");
      file('policies/step.ts', "import { feed } from '../dvms/feed.ts';\nexport const step = feed;\n");
      file('dvms/feed.ts', "export const feed = 1;\n");
      file('models/a.ts', "import { b } from './b.ts';\nexport const a = () => b;\n");
      file('models/b.ts', "import { a } from './a.ts';\nexport const b = () => a;\n");
      const { status, output } = cruise(dir, ['relay', 'policies', 'dvms', 'models']);
      expect(status).not.toBe(0);
      expect(output).toMatch(/no-upward-from-relay: relay\/core\.ts → policies\/step\.ts/);
      expect(output).toMatch(/capabilities-apart: policies\/step\.ts → dvms\/feed\.ts/);
      expect(output).toMatch(/no-circular: models\/a\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
