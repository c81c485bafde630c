import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { configSchema, type Config } from './schema.ts';
import { ConfigError } from './errors.ts';
import { envOverrides } from './env.ts';

export { ConfigError } from './errors.ts';

/** The annotated defaults shipped with Hamlet. */
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('./default.toml', import.meta.url));

type Tree = Record<string, unknown>;

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? merge(b as Tree, v as Tree)
        : v;
  }
  return out;
}

function readToml(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  try {
    return parseToml(text) as Tree;
  } catch (err) {
    throw new ConfigError(`${path}: TOML syntax error: ${(err as Error).message}`);
  }
}

/**
 * Keys that name a file or directory. A relative one written in a config file is relative to that
 * file's directory; one from the environment, a CLI flag or the built-in defaults, to the working
 * directory.
 */
export const PATH_KEYS = ['storage.dataDir', 'models.dir', 'policies.dir', 'policies.rulebook', 'dvms.keysDir', 'labels.keyFile'] as const;

const isSet = (tree: Tree | undefined, key: string): boolean => {
  const [section, name] = key.split('.') as [string, string];
  const s = tree?.[section];
  return typeof s === 'object' && s !== null && name in s;
};

function resolvePathsIn(tree: Tree, baseDir: string): Tree {
  const out: Tree = { ...tree };
  for (const key of PATH_KEYS) {
    const [section, name] = key.split('.') as [string, string];
    const s = out[section] as Tree | undefined;
    const value = s?.[name];
    if (typeof value !== 'string' || value === '' || isAbsolute(value)) continue;
    out[section] = { ...s, [name]: resolve(baseDir, value) };
  }
  return out;
}

/** `policies.write[0].options`: array indices in brackets, as TOML users read them. */
const keyOf = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');

function describeIssue(issue: z.core.$ZodIssue, sources: Map<string, string>, file: string): string {
  const key = keyOf(issue.path);
  // Environment variables set whole keys (section.key); an issue inside one (an array element) came from it too.
  const from = sources.get(key) ?? sources.get(issue.path.slice(0, 2).join('.')) ?? file;
  if (issue.code === 'unrecognized_keys') {
    const prefix = key ? `${key}.` : '';
    return issue.keys.map((k) => `${prefix}${k}: unknown key (in ${from})`).join('\n');
  }
  return `${key || '(root)'}: ${issue.message} (in ${from})`;
}

export interface LoadOptions {
  /** TOML file; defaults to $HAMLET_CONFIG, then config/default.toml. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values that win over file and environment (tests, CLI flags). */
  overrides?: Record<string, unknown>;
}

/** Loads file → environment → overrides, validates, and names the key of every problem. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.HAMLET_CONFIG ?? DEFAULT_CONFIG_PATH;
  const own = resolve(file) === DEFAULT_CONFIG_PATH ? undefined : resolvePathsIn(readToml(file), dirname(resolve(file)));
  const fromFile = own ? merge(readToml(DEFAULT_CONFIG_PATH), own) : readToml(DEFAULT_CONFIG_PATH);
  const { values, sources } = envOverrides(configSchema, env);
  const merged = merge(merge(fromFile, values), options.overrides ?? {});
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => describeIssue(i, sources, file)).join('\n'));
  }
  const config = result.data;
  // Derived paths: models live in the data directory (so -d moves them), and operator policy
  // files beside the config file that names none.
  if (config.models.dir === '') config.models.dir = join(config.storage.dataDir, 'models');
  if (own && ![own, values, options.overrides].some((t) => isSet(t as Tree | undefined, 'policies.dir'))) {
    config.policies.dir = resolve(dirname(resolve(file)), config.policies.dir);
  }
  return config;
}

/** Validates an in-memory config on top of the defaults (tests and embedding). */
export function buildConfig(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ env: {}, overrides });
}
