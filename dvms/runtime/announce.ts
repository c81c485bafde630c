import type { NostrEvent } from '../../relay/nostr/types.ts';
import { sign } from './events.ts';
import { dvmPicture } from './profile.ts';
import type { RunningDvm } from './runtime.ts';

/**
 * Heartbeat kind: replaceable (10000-19999), so the relay keeps only the latest per DVM and
 * clients read "last seen" from its created_at. 11998 is what DVM dashboards use for this; it
 * is not in a NIP, and is documented in the announcement (`heartbeatKind`).
 */
export const HEARTBEAT_KIND = 11998;

/** NIP-89 kind 31990: what the DVM does and which params it takes (`nip90Params`). */
export function announcementEvent(dvm: RunningDvm, heartbeatSeconds: number): NostrEvent {
  const { spec } = dvm;
  const picture = dvmPicture(dvm);
  const content = {
    name: spec.name,
    about: spec.about,
    picture,
    image: picture,
    encryptionSupported: true,
    supportsEncryption: true,
    acceptsNutZaps: false,
    personalized: spec.personalized,
    amount: 'free',
    nip90Params: spec.params,
    heartbeatKind: HEARTBEAT_KIND,
    heartbeatSeconds,
    ...spec.extra,
  };
  const tags = [['d', spec.id], ['k', String(spec.kind)], ['alt', `NIP-89 handler: ${spec.name}`], ...(spec.tags ?? [])];
  return sign(dvm.key, 31990, JSON.stringify(content), tags);
}

/** The 31990's address, `31990:<pubkey>:<d>`. */
export function announcementAddress(dvm: RunningDvm): string {
  return `31990:${dvm.key.pubkey}:${dvm.spec.id}`;
}

export function heartbeatEvent(dvm: RunningDvm, startedAt: number, answered: number): NostrEvent {
  const now = Math.floor(Date.now() / 1000);
  const content = { status: 'online', uptime_s: now - startedAt, jobs_answered: answered };
  return sign(dvm.key, HEARTBEAT_KIND, JSON.stringify(content), [
    ['status', 'online'],
    ['a', announcementAddress(dvm)],
    ['k', String(dvm.spec.kind)],
    ['alt', `Heartbeat of ${dvm.spec.name}`],
  ]);
}

/** Whether a stored announcement, profile or relay list already says the same (then it is not re-published). */
export function sameAnnouncement(stored: NostrEvent | undefined, fresh: NostrEvent): boolean {
  return stored !== undefined && stored.content === fresh.content && JSON.stringify(stored.tags) === JSON.stringify(fresh.tags);
}
