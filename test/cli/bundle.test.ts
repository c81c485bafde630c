import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_DIR, bundleModule } from '../../relay/util/bundle.mjs';

const BIN = fileURLToPath(new URL('../../bin/hamlet.js', import.meta.url));
const elsewhere = mkdtempSync(join(tmpdir(), 'hamlet-bundle-cwd-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

const run = (args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) =>
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HAMLET_DEBUG: '1' }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );

// The CLI runs from an esbuild bundle of its sources (relay/util/bundle.mjs); tsx is only the fallback.
describe('the bundled CLI', () => {
  it('runs from its bundle whatever directory it is started in', async () => {
    const r = await run(['--version'], elsewhere);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // HAMLET_DEBUG makes the entry point say when it falls back to tsx
    expect(r.stderr).not.toMatch(/running through tsx/);
  });

  it('a build keeps (and marks) the files it uses, and prunes files no build used for a month', async () => {
    const main = await bundleModule(new URL('../../cli/main.ts', import.meta.url));
    const monthAgo = new Date(Date.now() - 40 * 86_400_000);
    const stale = join(BUNDLE_DIR, 'chunks', `stale-${process.pid}.mjs`);
    mkdirSync(join(BUNDLE_DIR, 'chunks'), { recursive: true });
    writeFileSync(stale, 'export {};\n');
    utimesSync(stale, monthAgo, monthAgo);
    utimesSync(main, monthAgo, monthAgo);
    // another process builds the same CLI: its bundle is there already
    expect((await run(['--version'], elsewhere)).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(main)).toBe(true);
    expect(Date.now() - statSync(main).mtimeMs).toBeLessThan(600_000);
  });

  it('an unchanged entry gets its last bundle without a build, and an edit to any file it imports a new one', async () => {
    // an entry of the repository's own (bundles are built from it), importing a second file
    const dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.bundle-probe-'));
    try {
      const entry = join(dir, 'entry.ts');
      writeFileSync(entry, "import { value } from './value.ts';\nexport default value;\n");
      writeFileSync(join(dir, 'value.ts'), "export const value: string = 'first';\n");
      // each in a process of its own, as each start of the relay is
      const load = async (env: Record<string, string> = {}) => {
        const script = `const { bundleModule } = await import(${JSON.stringify(new URL('../../relay/util/bundle.mjs', import.meta.url).href)}); const file = await bundleModule(${JSON.stringify(entry)}); console.log(JSON.stringify({ file, value: (await import(file)).default }));`;
        const r = await new Promise<string>((resolve, reject) =>
          execFile(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env } }, (err, out) => (err ? reject(err) : resolve(out))),
        );
        return JSON.parse(r) as { file: string; value: string };
      };
      const first = await load();
      expect(first.value).toBe('first');
      // esbuild pointed at a file that is not a program: any build fails
      const noEsbuild = { ESBUILD_BINARY_PATH: join(dir, 'not-esbuild') };
      writeFileSync(noEsbuild.ESBUILD_BINARY_PATH, 'not a program\n', { mode: 0o644 });
      expect(await load(noEsbuild)).toEqual(first);
      writeFileSync(join(dir, 'value.ts'), "export const value: string = 'second';\n");
      await expect(load(noEsbuild)).rejects.toThrow();
      const second = await load();
      expect(second.value).toBe('second');
      expect(second.file).not.toBe(first.file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
