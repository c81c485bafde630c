import { stringify } from 'smol-toml';
import { z } from 'zod';
import { configSchema } from './schema.ts';

function unwrap(s: z.ZodType): z.ZodType {
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

const scalarValue = (v: unknown): string => stringify({ v }).replace(/^v = /, '').trim();
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const tomlKey = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));
const inlineValue = (v: unknown): string =>
  isTable(v)
    ? Object.keys(v).length === 0
      ? '{}'
      : `{ ${Object.entries(v).map(([k, x]) => `${tomlKey(k)} = ${inlineValue(x)}`).join(', ')} }`
    : Array.isArray(v)
      ? `[${v.map(inlineValue).join(', ')}]`
      : scalarValue(v);
/**
 * Tables and arrays of tables (policy pipelines) render inline, one table per line, so they stay
 * under their key: `[name]` headers there would swallow the keys after them.
 */
const tomlValue = (v: unknown): string =>
  Array.isArray(v) && v.some(isTable) ? `[\n${v.map((x) => `  ${inlineValue(x)},`).join('\n')}\n]` : isTable(v) ? inlineValue(v) : scalarValue(v);

export interface KeyRow {
  key: string;
  value: unknown;
  description: string;
  hot: boolean;
  /** Rendered as [[section.key.<name>]] tables at the end of its section (policies.add). */
  tables: boolean;
}

/** One row per key, with the values of `config` (default: the defaults). */
function keyRows(config: Record<string, Record<string, unknown>>): KeyRow[] {
  const rows: KeyRow[] = [];
  for (const [section, sectionSchema] of Object.entries(configSchema.shape)) {
    const inner = unwrap(sectionSchema as z.ZodType) as z.ZodObject;
    for (const [key, keySchema] of Object.entries(inner.shape)) {
      const ks = keySchema as z.ZodType;
      const meta = (ks.meta() ?? {}) as { hot?: boolean; tables?: boolean; description?: string };
      rows.push({
        key: `${section}.${key}`,
        value: config[section]?.[key],
        description: ks.description ?? meta.description ?? '',
        hot: meta.hot === true,
        tables: meta.tables === true,
      });
    }
  }
  return rows;
}

const defaults = (): Record<string, Record<string, unknown>> => configSchema.parse({}) as Record<string, Record<string, unknown>>;

/** One row per key: what `hamlet config` prints and what config/default.toml is rendered from. */
export function describeKeys(): KeyRow[] {
  return keyRows(defaults());
}

/** What a tables key (policies.add) shows when it has no entries: a commented example to copy. */
const TABLES_EXAMPLE = ['[[policies.add.write]]', 'use = "noShouting"            # a built-in or a file in policies.dir', 'options = { minLetters = 12 }', 'after = "sizeLimits"'];

/** `[[section.key.name]]` blocks, one key per line; they must come last in their section. */
function renderTables(row: KeyRow): string[] {
  const lines: string[] = [];
  for (const [name, entries] of Object.entries((row.value ?? {}) as Record<string, unknown[] | undefined>)) {
    for (const entry of entries ?? []) {
      lines.push(`[[${row.key}.${tomlKey(name)}]]`);
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) if (v !== undefined) lines.push(`${tomlKey(k)} = ${inlineValue(v)}`);
    }
  }
  return lines;
}

/**
 * Renders a configuration as TOML that the loader reads back to the same values: each key under
 * its description, pipelines as arrays of inline tables, and policies.add as [[tables]] at the
 * end of [policies] (as a commented example when empty, so appending [[policies.add.write]] to a
 * copy of the defaults stays valid TOML).
 */
export function renderToml(config: Record<string, Record<string, unknown>>, header: string[] = []): string {
  const lines = [...header];
  let section = '';
  let tables: string[] = [];
  const flush = () => {
    lines.push(...tables);
    tables = [];
  };
  for (const row of keyRows(config)) {
    const [s, k] = row.key.split('.') as [string, string];
    if (s !== section) {
      flush();
      section = s;
      lines.push('', `[${s}]`);
    }
    const comment = `# ${row.description}${row.hot ? ' (hot)' : ''}`;
    if (row.tables) {
      const blocks = renderTables(row);
      tables.push(comment, ...(blocks.length ? blocks : TABLES_EXAMPLE.map((l) => `# ${l}`)));
    } else if (row.value === undefined) {
      lines.push(comment, `# ${k} is not set`);
    } else {
      lines.push(comment, `${k} = ${tomlValue(row.value)}`);
    }
  }
  flush();
  return lines.join('\n') + '\n';
}

/** Renders the annotated default configuration (config/default.toml). */
export function renderDefaultToml(): string {
  return renderToml(defaults(), [
    '# Hamlet configuration: every key with its default. Generated from config/schema.ts by',
    '# `hamlet config --defaults`; copy it, edit what you need, and start with --config FILE.',
    '# Any key can also be set by environment: HAMLET_<SECTION>_<KEY>, e.g. HAMLET_RELAY_PORT=7778.',
    '# Keys marked (hot) apply to a running relay when the file changes.',
  ]);
}
