import type { BuiltinPolicy } from '../policy.ts';
import { all, any, not } from '../combinators.ts';
import { strfry } from '../strfry/builtin.ts';
import { createdAt } from './createdAt.ts';
import { duplicates } from './duplicates.ts';
import { filterLimits } from './filterLimits.ts';
import { hellthread } from './hellthread.ts';
import { keywords } from './keywords.ts';
import { kinds } from './kinds.ts';
import { nip05 } from './nip05.ts';
import { pow } from './pow.ts';
import { pubkeys } from './pubkeys.ts';
import { rateLimit } from './rateLimit.ts';
import { sizeLimits } from './sizeLimits.ts';
import { toxicity } from './toxicity.ts';
import { webOfTrust } from './webOfTrust.ts';

/** Every built-in by the name config uses in `use = "..."`. */
export const builtins: ReadonlyMap<string, BuiltinPolicy> = new Map(
  ([sizeLimits, kinds, createdAt, pubkeys, keywords, hellthread, duplicates, pow, rateLimit, webOfTrust, nip05, filterLimits, toxicity, strfry, all, any, not] as BuiltinPolicy[]).map((b) => [b.name, b]),
);
