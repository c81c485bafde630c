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
/** Arrays of tables (policy pipelines) render as one inline table per line, so they stay in place under their key. */
const tomlValue = (v: unknown): string =>
  Array.isArray(v) && v.some(isTable) ? `[\n${v.map((x) => `  ${inlineValue(x)},`).join('\n')}\n]` : scalarValue(v);

/** One row per key: what `hamlet config` prints and what config/default.toml is rendered from. */
export function describeKeys(): { key: string; value: unknown; description: string; hot: boolean }[] {
  const defaults = configSchema.parse({}) as Record<string, Record<string, unknown>>;
  const rows: { key: string; value: unknown; description: string; hot: boolean }[] = [];
  for (const [section, sectionSchema] of Object.entries(configSchema.shape)) {
    const inner = unwrap(sectionSchema as z.ZodType) as z.ZodObject;
    for (const [key, keySchema] of Object.entries(inner.shape)) {
      const ks = keySchema as z.ZodType;
      const meta = (ks.meta() ?? {}) as { hot?: boolean; description?: string };
      rows.push({ key: `${section}.${key}`, value: defaults[section]![key], description: ks.description ?? meta.description ?? '', hot: meta.hot === true });
    }
  }
  return rows;
}

/** Renders the annotated default configuration (config/default.toml). */
export function renderDefaultToml(): string {
  const lines = [
    '# Hamlet configuration: every key with its default. Generated from config/schema.ts by',
    '# `hamlet config --defaults`; copy it, edit what you need, and start with --config FILE.',
    '# Any key can also be set by environment: HAMLET_<SECTION>_<KEY>, e.g. HAMLET_RELAY_PORT=7778.',
    '# Keys marked (hot) apply to a running relay when the file changes.',
  ];
  let section = '';
  for (const row of describeKeys()) {
    const [s, k] = row.key.split('.') as [string, string];
    if (s !== section) {
      section = s;
      lines.push('', `[${s}]`);
    }
    lines.push(`# ${row.description}${row.hot ? ' (hot)' : ''}`, `${k} = ${tomlValue(row.value)}`);
  }
  return lines.join('\n') + '\n';
}
