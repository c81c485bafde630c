/** Who took a moderation action, for the record. */
export interface ModeratorAction {
  /** Who acted (pubkey from NIP-98, or "cli"). */
  moderator?: string;
  reason?: string;
}

/** An entry of a ban or allow list as NIP-86 lists it. */
export interface ListedEntry {
  reason?: string;
}

/**
 * What the NIP-86 moderation methods call: ban and allow lists and the hold queue. The relay
 * owns this interface; the policy engine (policies/moderation.ts) provides it.
 */
export interface Moderator {
  banPubkey(pubkey: string, who?: ModeratorAction): Promise<unknown>;
  unbanPubkey(pubkey: string, who?: ModeratorAction): Promise<boolean>;
  listBannedPubkeys(): Array<ListedEntry & { pubkey: string }>;
  allowPubkey(pubkey: string, who?: ModeratorAction): Promise<unknown>;
  unallowPubkey(pubkey: string): Promise<boolean>;
  listAllowedPubkeys(): Array<ListedEntry & { pubkey: string }>;
  listHeld(limit?: number): Array<{ id: string; reason: string }>;
  allowEvent(id: string, who?: ModeratorAction): Promise<boolean>;
  banEvent(id: string, who?: ModeratorAction): Promise<boolean>;
  listBannedEvents(): Array<ListedEntry & { id: string }>;
  allowKind(kind: number, who?: ModeratorAction): Promise<unknown>;
  disallowKind(kind: number, who?: ModeratorAction): Promise<unknown>;
  listAllowedKinds(): number[];
  listDisallowedKinds(): number[];
  blockIp(ip: string, who?: ModeratorAction): Promise<unknown>;
  unblockIp(ip: string): Promise<boolean>;
  listBlockedIps(): Array<ListedEntry & { ip: string }>;
  isIpBlocked(ip: string): boolean;
}
