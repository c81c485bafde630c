import type { NostrEvent } from './types.ts';

/**
 * The two serialisations an event needs, built from one stringify of tags and content:
 * `hashInput` is NIP-01's [0,pubkey,created_at,kind,tags,content] (what the id commits to),
 * `json` is the event as stored and sent, with only the seven NIP-01 fields.
 */
export function serialise(e: NostrEvent): { hashInput: string; json: string } {
  const tags = JSON.stringify(e.tags);
  const content = JSON.stringify(e.content);
  return {
    hashInput: `[0,"${e.pubkey}",${e.created_at},${e.kind},${tags},${content}]`,
    json: `{"id":"${e.id}","pubkey":"${e.pubkey}","created_at":${e.created_at},"kind":${e.kind},"tags":${tags},"content":${content},"sig":"${e.sig}"}`,
  };
}
