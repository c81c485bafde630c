import { createHash } from 'node:crypto';

/** A rule of the village rulebook, as moderation cites it (policies/rulebook.toml). */
export interface RuleRef {
  id: string;
  title: string;
  description: string;
  severity: string;
}

/**
 * The rulebook's version: a digest of its rules, so a decision names exactly the text it was
 * made under and anyone holding the rulebook can check it. Changes whenever a rule does.
 */
export function rulebookVersion(rules: readonly RuleRef[]): string {
  const canonical = JSON.stringify(rules.map(({ id, title, description, severity }) => [id, title, description, severity]));
  return `sha256:${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}
