import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PATH_KEYS } from '../../config/load.ts';
import { configSchema } from '../../config/schema.ts';
import { openLocal } from '../../cli/tools/local.ts';
import { dataDirs, hamlet, toolConfig } from './helpers.ts';

const tempDir = dataDirs();

describe('paths in the configuration', () => {
  it('every path key is a string key of the schema', () => {
    const defaults = configSchema.parse({}) as unknown as Record<string, Record<string, unknown>>;
    for (const key of PATH_KEYS) {
      const [section, name] = key.split('.') as [string, string];
      expect(typeof defaults[section]?.[name], key).toBe('string');
    }
  });

  it('relative paths in a config file are relative to the file; models follow the data directory', () => {
    const dir = tempDir();
    const etc = join(dir, 'etc');
    mkdirSync(etc);
    const file = join(etc, 'hamlet.toml');
    writeFileSync(file, '[storage]\ndataDir = "village"\n[policies]\nrulebook = "rules.toml"\n');
    const config = loadConfig({ file, env: {} });
    expect(config.storage.dataDir).toBe(join(etc, 'village'));
    expect(config.models.dir).toBe(join(etc, 'village', 'models'));
    expect(config.policies.rulebook).toBe(join(etc, 'rules.toml'));
    // not named in the file: beside it
    expect(config.policies.dir).toBe(join(etc, 'policies.d'));

    // -d (an override) moves the models with the data; an explicit models.dir stays put
    expect(loadConfig({ file, env: {}, overrides: { storage: { dataDir: '/srv/elsewhere' } } }).models.dir).toBe(join('/srv/elsewhere', 'models'));
    writeFileSync(file, '[models]\ndir = "../models"\n[policies]\ndir = "/opt/policies"\n');
    const explicit = loadConfig({ file, env: {}, overrides: { storage: { dataDir: '/srv/elsewhere' } } });
    expect(explicit.models.dir).toBe(join(dir, 'models'));
    expect(explicit.policies.dir).toBe('/opt/policies');
    // a path from the environment is the operator's own, relative to where they run hamlet
    expect(loadConfig({ file, env: { HAMLET_STORAGE_DATA_DIR: 'here' } }).storage.dataDir).toBe('here');
  });

  it('with the built-in defaults, models live in ./data/models and policies in ./policies.d', () => {
    const config = loadConfig({ env: {} });
    expect(config.storage.dataDir).toBe('./data');
    expect(config.models.dir).toBe(join('data', 'models'));
    expect(config.policies.dir).toBe('./policies.d');
  });

  it('hamlet models list -d shows the models directory inside the data directory', async () => {
    const dir = tempDir();
    const r = await hamlet(['models', 'list', '-d', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`models.dir = ${join(dir, 'models')}`);
  });
});

describe('commands that read a database never create one', { timeout: 120_000 }, () => {
  const commands: [string, (dir: string) => string[]][] = [
    ['stats', (d) => ['stats', '-d', d]],
    ['scan', (d) => ['scan', '{}', '-d', d]],
    ['export', (d) => ['export', '-d', d]],
    ['delete', (d) => ['delete', '--filter', '{}', '-d', d]],
    ['insights', (d) => ['insights', '-d', d]],
    ['moderation decisions', (d) => ['moderation', 'decisions', '-d', d]],
    ['moderation held', (d) => ['moderation', 'held', '-d', d]],
    ['moderation ban', (d) => ['moderation', 'ban', 'a'.repeat(64), '-d', d]],
    ['compact', (d) => ['compact', '-d', d]],
    ['backup', (d) => ['backup', '--out', `${d}-backup`, '-d', d]],
    ['train tags', (d) => ['train', 'tags', '--data-dir', d]],
  ];

  it.each(commands)('%s on a missing directory: one line, exit code 1, nothing created', async (_, args) => {
    const missing = join(tempDir(), 'no-such-dir');
    const r = await hamlet(args(missing));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`hamlet: no Hamlet database in ${missing}\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it('an existing directory without a database is refused the same way, and left empty', async () => {
    const dir = tempDir();
    const r = await hamlet(['stats', '-d', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`hamlet: no Hamlet database in ${dir}\n`);
    expect(existsSync(join(dir, 'events.lmdb'))).toBe(false);
  });

  it('import (a writer) still creates the database of a new directory', async () => {
    const dir = join(tempDir(), 'new');
    const r = await hamlet(['import', '-d', dir], { input: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'events.lmdb'))).toBe(true);
    const local = await openLocal(toolConfig(dir), { mustExist: true });
    await local.close();
  });
});
