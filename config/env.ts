import { z } from 'zod';
import { ConfigError } from './errors.ts';

const PREFIX = 'HAMLET_';
/** Variables that are not keys: the config file to load, and stack traces on CLI errors. */
const META_VARS = new Set(['HAMLET_CONFIG', 'HAMLET_DEBUG']);

const toEnvName = (section: string, key: string): string =>
  `${PREFIX}${section}_${key}`.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** Peels defaults, optionals and pipes off a key's schema to reach the type to coerce to. */
function baseType(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else return s;
  }
}

function coerce(raw: string, schema: z.ZodType, name: string): unknown {
  const type = baseType(schema);
  if (type instanceof z.ZodNumber) {
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n)) throw new ConfigError(`${name}: expected a number, got ${JSON.stringify(raw)}`);
    return n;
  }
  if (type instanceof z.ZodBoolean) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (type instanceof z.ZodArray) {
    if (raw.trim().startsWith('[')) {
      try {
        return JSON.parse(raw);
      } catch {
        throw new ConfigError(`${name}: not a JSON array: ${JSON.stringify(raw)}`);
      }
    }
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    return items.map((item) => coerce(item, type.element as z.ZodType, name));
  }
  return raw;
}

/**
 * Reads HAMLET_<SECTION>_<KEY> overrides (e.g. HAMLET_RELAY_PORT, HAMLET_LIMITS_MAX_LIMIT).
 * Returns the overrides as a partial config and which variable set each key.
 */
export function envOverrides(
  schema: z.ZodObject,
  env: NodeJS.ProcessEnv,
): { values: Record<string, Record<string, unknown>>; sources: Map<string, string> } {
  const values: Record<string, Record<string, unknown>> = {};
  const sources = new Map<string, string>();
  const known = new Set<string>();
  for (const [section, sectionSchema] of Object.entries(schema.shape)) {
    const inner = baseType(sectionSchema as z.ZodType);
    if (!(inner instanceof z.ZodObject)) continue;
    for (const [key, keySchema] of Object.entries(inner.shape)) {
      const name = toEnvName(section, key);
      known.add(name);
      const raw = env[name];
      if (raw === undefined) continue;
      (values[section] ??= {})[key] = coerce(raw, keySchema as z.ZodType, name);
      sources.set(`${section}.${key}`, name);
    }
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith(PREFIX) && !known.has(name) && !META_VARS.has(name)) {
      throw new ConfigError(`${name}: unknown setting (no such key in the config schema)`);
    }
  }
  return { values, sources };
}
