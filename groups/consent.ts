import { dTag, groupOf } from '../relay/nostr/tags.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { isStateKind, type Group } from './group.ts';

type Lookup = (id: string) => Group | undefined;

const groupIdOf = (e: NostrEvent): string | undefined => (isStateKind(e.kind) ? dTag(e) : groupOf(e));

/**
 * The village's models read a group's events only where its admins opted in (["ai", "allow"]);
 * an event naming a group not hosted here, or a deleted one, is not read either (fail closed).
 * Events outside groups are the models' to read (their authors' own consent still applies where it does).
 */
export const modelReadRule = (lookup: Lookup) => (e: NostrEvent): boolean => {
  const id = groupIdOf(e);
  if (id === undefined) return true;
  const g = lookup(id);
  return g !== undefined && !g.deleted && g.ai;
};

/** What may enter a dataset: what the models may read, and never a private group's events, whatever its consent. */
export const datasetRule = (lookup: Lookup) => {
  const models = modelReadRule(lookup);
  return (e: NostrEvent): boolean => models(e) && !(groupIdOf(e) !== undefined && lookup(groupIdOf(e)!)?.private);
};
