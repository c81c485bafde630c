import type { DatasetHistory } from './history.ts';
import type { Purpose } from './consent.ts';

/** A member's posts in one dataset version. */
export interface MemberPresence {
  purpose: Purpose;
  version: string;
  status: 'current' | 'superseded';
  ids: string[];
}

/** Which of a member's posts are in which dataset version (versions that hold none are left out). */
export function whichVersions(history: DatasetHistory, pubkey: string): MemberPresence[] {
  const out: MemberPresence[] = [];
  for (const v of history.versions()) {
    const ids = history.recordsOf(v).filter(([, author]) => author === pubkey).map(([id]) => id);
    if (ids.length > 0) out.push({ purpose: v.purpose, version: v.version, status: v.supersededBy ? 'superseded' : 'current', ids });
  }
  return out;
}
