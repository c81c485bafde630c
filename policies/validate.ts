import { composePipelines } from '../config/pipelines.ts';
import { loadConfig, ConfigError, type LoadOptions } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { policyEntry } from '../config/sections/policies.ts';
import { toHexPubkey } from '../relay/nostr/keys.ts';
import { builtins } from './builtin/index.ts';
import { locatePolicyFile } from './loader.ts';
import { loadRulebook } from './rulebook.ts';

type PoliciesConfig = Config['policies'];

const issuePath = (path: readonly PropertyKey[]): string => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');

/** Nested entries of a combinator's options, with the key each sits under. */
function nestedEntries(use: string, options: Record<string, unknown>, key: string): { raw: unknown; key: string }[] {
  if ((use === 'all' || use === 'any') && Array.isArray(options.policies)) {
    return options.policies.map((raw, i) => ({ raw, key: `${key}.options.policies[${i}]` }));
  }
  if (use === 'not' && options.policy !== undefined) return [{ raw: options.policy, key: `${key}.options.policy` }];
  return [];
}

/** Problems of one entry (and the entries nested in it), each naming its key. */
function entryProblems(raw: unknown, key: string, dir: string): string[] {
  const parsed = policyEntry.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `${key}${issuePath(i.path)}: ${i.message}`);
  const entry = parsed.data;
  const builtin = builtins.get(entry.use);
  if (builtin) {
    const problems: string[] = [];
    if (entry.isolate !== undefined) problems.push(`${key}.isolate: only operator files run isolated; "${entry.use}" is a built-in`);
    const options = builtin.options.safeParse(entry.options);
    if (!options.success) problems.push(...options.error.issues.map((i) => `${key}.options${issuePath(i.path)}: ${i.message} (${entry.use})`));
    for (const nested of nestedEntries(entry.use, entry.options, key)) problems.push(...entryProblems(nested.raw, nested.key, dir));
    return problems;
  }
  if (!locatePolicyFile(dir, entry.use)) {
    return [`${key}.use: "${entry.use}" is neither a built-in (${[...builtins.keys()].join(', ')}) nor a policy file in ${dir}`];
  }
  return [];
}

/**
 * What the config schema cannot check without policies/ (the config layer does not import it):
 * member keys, each entry's built-in options against that built-in's schema, that every other
 * `use` names an existing file in policies.dir, and the rulebook. One line per problem, naming
 * its key; empty when the section is good. The engine refuses what this reports, so `hamlet
 * config -c`, start and a hot reload agree.
 */
export function policyProblems(p: PoliciesConfig): string[] {
  const problems: string[] = [];
  p.members.forEach((m, i) => {
    try {
      toHexPubkey(m);
    } catch (err) {
      problems.push(`policies.members[${i}]: ${(err as Error).message}`);
    }
  });
  const { pipelines, problems: composition } = composePipelines(p);
  problems.push(...composition.map((c) => `policies${issuePath(c.path)}: ${c.message}`));
  for (const steps of Object.values(pipelines)) for (const { entry, key } of steps) problems.push(...entryProblems(entry, key, p.dir));
  if (p.rulebook) {
    try {
      loadRulebook(p.rulebook);
    } catch (err) {
      problems.push(`policies.rulebook: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** Throws a ConfigError listing every problem of the `policies` section. */
export function checkPolicies(p: PoliciesConfig): void {
  const problems = policyProblems(p);
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}

/** loadConfig, then the checks that need policies/: what `hamlet start` and `hamlet config -c` load. */
export function loadCheckedConfig(options: LoadOptions = {}): Config {
  const config = loadConfig(options);
  checkPolicies(config.policies);
  return config;
}
