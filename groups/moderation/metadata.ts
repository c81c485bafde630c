import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { Group } from '../group.ts';

const RULE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * The metadata a 9002 (or a 9007 that carries some) sets. NIP-29's edit-metadata carries every
 * field, so a flag left out is off; `ai` and `rule` are Hamlet's and stay as they were when absent,
 * so a client that does not know them never changes the group's AI consent or rules by accident.
 */
export function applyMetadata(g: Group, e: NostrEvent, full: boolean): string | undefined {
  const has = (name: string) => e.tags.some((t) => t[0] === name);
  const value = (name: string) => e.tags.find((t) => t[0] === name)?.[1];
  if (full || has('name')) g.name = value('name') ?? g.name;
  if (full || has('picture')) g.picture = value('picture') ?? '';
  if (full || has('about')) g.about = value('about') ?? '';
  for (const flag of ['private', 'closed', 'hidden'] as const) if (full || has(flag)) g[flag] = has(flag);
  // older clients say "public" and "open"
  if (has('public')) g.private = false;
  if (has('open')) g.closed = false;
  const kinds = e.tags.find((t) => t[0] === 'supported_kinds');
  if (kinds) {
    const list = kinds.slice(1);
    if (!list.every((k) => /^\d{1,5}$/.test(k))) return 'invalid: supported_kinds lists kind numbers';
    g.supportedKinds = list;
  } else if (full) delete g.supportedKinds;
  const ai = value('ai');
  if (ai !== undefined) {
    if (ai !== 'allow' && ai !== 'deny') return 'invalid: the ai tag is ["ai", "allow"] or ["ai", "deny"]';
    g.ai = ai === 'allow';
  }
  const rules = e.tags.filter((t) => t[0] === 'rule');
  if (rules.length > 0) {
    if (rules.some((t) => !RULE_ID.test(t[1] ?? '') || !(t[2] ?? '').trim())) return 'invalid: a rule tag is ["rule", "<id: a-z, 0-9, ->", "<text>"]';
    g.rules = rules.map((t) => ({ id: t[1]!, text: t[2]!.trim() }));
  }
  if (g.name.length > 200 || g.about.length > 5000) return 'invalid: name or about is too long';
  return undefined;
}
