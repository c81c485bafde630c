import { createHash } from 'node:crypto';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { KIND_METADATA, KIND_RELAY_LIST } from '../../relay/nostr/kinds.ts';
import { sign } from './events.ts';
import type { RunningDvm } from './runtime.ts';

const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The DVM's avatar: a small SVG (a disc in a colour of its own, the initial of its name) as a
 * data: URL, so a client shows a face without any image host (nothing leaves the machine).
 */
export function dvmPicture(dvm: RunningDvm): string {
  const hue = createHash('sha256').update(dvm.spec.id).digest()[0]! * (360 / 256);
  const title = dvm.spec.name.split(': ').at(-1) ?? dvm.spec.name;
  const initial = escapeXml((title.trim()[0] ?? '?').toUpperCase());
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">` +
    `<circle cx="64" cy="64" r="64" fill="hsl(${Math.round(hue)},55%,42%)"/>` +
    `<text x="64" y="84" font-family="sans-serif" font-size="60" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Kind 0 (NIP-01 metadata, NIP-24 `bot`): how clients show the DVM as an account. */
export function profileEvent(dvm: RunningDvm, createdAt?: number): NostrEvent {
  const { spec } = dvm;
  const content = { name: spec.name, display_name: spec.name, about: spec.about, picture: dvmPicture(dvm), bot: true };
  return sign(dvm.key, KIND_METADATA, JSON.stringify(content), [], createdAt);
}

/** Kind 10002 (NIP-65): where the DVM reads requests and writes results, the home relay first. */
export function relayListEvent(dvm: RunningDvm, relays: readonly string[], createdAt?: number): NostrEvent {
  return sign(dvm.key, KIND_RELAY_LIST, '', [...new Set(relays)].map((u) => ['r', u]), createdAt);
}
