import type { RootDatabase, Database } from 'lmdb';
import type { MirrorLinkStatus } from './mirrorLink.ts';

// Apart from index.ts: the console's health page reads it on every relay, and the links (with the
// ws client and the sync code) load only when streams.mirrors lists any.

/** The LMDB table of each link's last status (read by `hamlet stats`, and the last contact after a restart). */
export const MIRROR_STATUS_DB = 'mirror-status';

export function openMirrorStatus(env: RootDatabase): Database<MirrorLinkStatus, string> {
  return env.openDB<MirrorLinkStatus, string>({ name: MIRROR_STATUS_DB });
}

/** Every link's last recorded status, as `hamlet stats` shows it. */
export function readMirrorStatus(env: RootDatabase): MirrorLinkStatus[] {
  return [...openMirrorStatus(env).getRange()].map(({ value }) => value);
}
