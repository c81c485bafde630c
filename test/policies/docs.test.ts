import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtins } from '../../policies/builtin/index.ts';
import { builtinsTable, withBuiltinsTable } from '../../policies/describe.ts';

const readme = readFileSync(new URL('../../policies/README.md', import.meta.url), 'utf8');

describe('policies/README.md built-ins table', () => {
  it('is the table the built-ins describe themselves with (regenerate: npm run docs)', () => {
    expect(withBuiltinsTable(readme)).toBe(readme);
  });

  it('has one row per built-in, naming every option of its schema', () => {
    const table = builtinsTable();
    for (const b of builtins.values()) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${b.name}\` |`));
      expect(row, b.name).toBeDefined();
      expect(row).toContain(b.description);
      for (const key of Object.keys((b.options as unknown as { shape: object }).shape)) expect(row).toContain(`\`${key}\``);
    }
  });
});
