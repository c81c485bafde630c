import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { z } from 'zod';

/** The rulebook shipped with Hamlet: a sane default for a small village. */
export const DEFAULT_RULEBOOK_PATH = fileURLToPath(new URL('./rulebook.toml', import.meta.url));

export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case words: a-z 0-9 . _ -'),
    title: z.string().min(1),
    description: z.string().default(''),
    severity: z.enum(severities).default('medium'),
  })
  .strict();

export type Rule = z.infer<typeof ruleSchema>;

const fileSchema = z.object({ rule: z.array(ruleSchema).default([]) }).strict();

/** The village's rules by id; what `rule` in every decision refers to. */
export interface Rulebook {
  readonly path: string;
  readonly rules: readonly Rule[];
  get(id: string): Rule | undefined;
}

export function parseRulebook(text: string, path = '(inline)'): Rulebook {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new Error(`${path}: TOML syntax error: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const byId = new Map<string, Rule>();
  for (const rule of parsed.data.rule) {
    if (byId.has(rule.id)) throw new Error(`${path}: rule id "${rule.id}" appears twice`);
    byId.set(rule.id, rule);
  }
  return { path, rules: parsed.data.rule, get: (id) => byId.get(id) };
}

export function loadRulebook(path: string = DEFAULT_RULEBOOK_PATH): Rulebook {
  return parseRulebook(readFileSync(path || DEFAULT_RULEBOOK_PATH, 'utf8'), path || DEFAULT_RULEBOOK_PATH);
}
