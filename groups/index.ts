/** NIP-29 groups hosted by the relay and the NIP-54 village wiki (groups/README.md). */
export { GroupHost, type GroupHostOptions, type GroupModeration } from './host.ts';
export { loadOrCreateRelayKey, relayKeyFile } from './key.ts';
export { readGroups } from './state.ts';
export { datasetRule, modelReadRule } from './consent.ts';
export { wikiCatalog, type Topic } from './wiki/catalog.ts';
export { wikiRoute, WIKI_PATH } from './wiki/page.ts';
export { admins, ROLES, type Group } from './group.ts';
export { draftDigest, renderDigest, digestRefusal, DigestRefused, type Digest } from './digest/draft.ts';
