import { z } from 'zod';
import { builtins } from './builtin/index.ts';

export interface OptionDoc {
  key: string;
  default?: unknown;
  description: string;
}
export interface BuiltinDoc {
  name: string;
  description: string;
  options: OptionDoc[];
}

function unwrap(s: z.ZodType): { inner: z.ZodType; dflt?: unknown } {
  let dflt: unknown;
  for (;;) {
    if (s instanceof z.ZodDefault) {
      dflt = (s.def as { defaultValue: unknown }).defaultValue;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodOptional || s instanceof z.ZodPrefault) s = s.unwrap() as z.ZodType;
    else return { inner: s, dflt };
  }
}

/** The built-ins with their options and defaults, from their schemas (CLI, docs). */
export function describeBuiltins(): BuiltinDoc[] {
  return [...builtins.values()].map((b) => {
    const shape = (b.options as z.ZodObject).shape as Record<string, z.ZodType>;
    return {
      name: b.name,
      description: b.description,
      options: Object.entries(shape).map(([key, s]) => {
        const { dflt } = unwrap(s);
        return { key, ...(dflt !== undefined ? { default: dflt } : {}), description: s.description ?? unwrap(s).inner.description ?? '' };
      }),
    };
  });
}
