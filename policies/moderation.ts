import type { Database, RootDatabase } from 'lmdb';
import type { RelayServices } from '../relay/services.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { Moderator, ModeratorAction } from '../relay/management/moderator.ts';
import type { DecisionLog } from './decisions.ts';

export type { ModeratorAction };

/** A held event awaiting a moderator, as listed by the CLI and NIP-86 listeventsneedingmoderation. */
export interface HeldEntry {
  id: string;
  at: number;
  pubkey: string;
  kind: number;
  policy: string;
  reason: string;
  rule?: string;
  /** The stored (hidden) event, when the relay still has it. */
  event?: NostrEvent;
}

export interface BanEntry {
  at: number;
  reason: string;
  moderator?: string;
}

type Key = ['held', string] | ['ban-event', string] | ['ban-pubkey', string] | [ListName, string];
/** Lists set through NIP-86 (allowpubkey, allowkind/disallowkind, blockip); kinds are kept as decimal strings. */
type ListName = 'allow-pubkey' | 'allow-kind' | 'deny-kind' | 'block-ip';
/** IPv4-mapped IPv6 and plain IPv4 name the same client. */
const normalIp = (ip: string): string => ip.trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
type Value = Omit<HeldEntry, 'id' | 'event'> | BanEntry;

/**
 * The moderation queue and ban lists, in LMDB. Bans are mirrored in memory so the write stage
 * checks them synchronously on every event.
 */
export class Moderation implements Moderator {
  private readonly db: Database<Value, Key>;
  private readonly bannedEvents = new Set<string>();
  private readonly bannedPubkeys = new Set<string>();
  private readonly lists: Record<ListName, Set<string>> = { 'allow-pubkey': new Set(), 'allow-kind': new Set(), 'deny-kind': new Set(), 'block-ip': new Set() };

  constructor(
    env: RootDatabase,
    private readonly decisions: DecisionLog,
    private readonly relay?: Pick<RelayServices, 'releaseHeld' | 'removeEvent' | 'getById'>,
  ) {
    this.db = env.openDB<Value, Key>({ name: 'policy-moderation' });
    for (const { key } of this.db.getRange({ start: ['ban-event'], end: ['ban-event', '\uffff'] })) this.bannedEvents.add(key[1]);
    for (const { key } of this.db.getRange({ start: ['ban-pubkey'], end: ['ban-pubkey', '\uffff'] })) this.bannedPubkeys.add(key[1]);
    for (const [name, set] of Object.entries(this.lists)) {
      for (const { key } of this.db.getRange({ start: [name as ListName], end: [name as ListName, '\uffff'] })) set.add(key[1]);
    }
  }

  /** Why the allow/deny lists refuse this event (kinds, pubkey allowlist), or undefined. */
  refused(event: Pick<NostrEvent, 'pubkey' | 'kind'>): string | undefined {
    const kind = String(event.kind);
    const allowedKinds = this.lists['allow-kind'];
    if (this.lists['deny-kind'].has(kind) || (allowedKinds.size > 0 && !allowedKinds.has(kind))) return `blocked: kind ${kind} is not accepted here`;
    const allowed = this.lists['allow-pubkey'];
    if (allowed.size > 0 && !allowed.has(event.pubkey)) return "restricted: only the village's allowed authors may publish here";
    return undefined;
  }
  isIpBlocked(ip: string): boolean {
    const blocked = this.lists['block-ip'];
    return blocked.size > 0 && blocked.has(normalIp(ip));
  }

  private async listAdd(name: ListName, value: string, who: ModeratorAction): Promise<void> {
    this.lists[name].add(value);
    await this.db.put([name, value], { at: Date.now(), reason: who.reason ?? '', moderator: who.moderator });
  }
  private async listRemove(name: ListName, value: string): Promise<boolean> {
    if (!this.lists[name].delete(value)) return false;
    await this.db.remove([name, value]);
    return true;
  }
  private listEntries(name: ListName): Array<BanEntry & { value: string }> {
    return [...this.db.getRange({ start: [name], end: [name, '\uffff'] })].map(({ key, value }) => ({ value: key[1], ...(value as BanEntry) }));
  }

  /** NIP-86 allowpubkey: once the allowlist is non-empty only its authors may publish; lifts a ban. */
  async allowPubkey(pubkey: string, who: ModeratorAction = {}): Promise<void> {
    await this.listAdd('allow-pubkey', pubkey, who);
    await this.unbanPubkey(pubkey, who);
  }
  unallowPubkey(pubkey: string): Promise<boolean> {
    return this.listRemove('allow-pubkey', pubkey);
  }
  listAllowedPubkeys(): Array<BanEntry & { pubkey: string }> {
    return this.listEntries('allow-pubkey').map(({ value, ...e }) => ({ pubkey: value, ...e }));
  }

  /** NIP-86 allowkind: a non-empty allowed list admits only its kinds; takes the kind off the denied list. */
  async allowKind(kind: number, who: ModeratorAction = {}): Promise<void> {
    await this.listRemove('deny-kind', String(kind));
    await this.listAdd('allow-kind', String(kind), who);
  }
  /** NIP-86 disallowkind: refuses the kind (and takes it off the allowed list). */
  async disallowKind(kind: number, who: ModeratorAction = {}): Promise<void> {
    await this.listRemove('allow-kind', String(kind));
    await this.listAdd('deny-kind', String(kind), who);
  }
  listAllowedKinds(): number[] {
    return [...this.lists['allow-kind']].map(Number).sort((a, b) => a - b);
  }
  listDisallowedKinds(): number[] {
    return [...this.lists['deny-kind']].map(Number).sort((a, b) => a - b);
  }

  /** NIP-86 blockip: refused at the connection stage. */
  blockIp(ip: string, who: ModeratorAction = {}): Promise<void> {
    return this.listAdd('block-ip', normalIp(ip), who);
  }
  unblockIp(ip: string): Promise<boolean> {
    return this.listRemove('block-ip', normalIp(ip));
  }
  listBlockedIps(): Array<BanEntry & { ip: string }> {
    return this.listEntries('block-ip').map(({ value, ...e }) => ({ ip: value, ...e }));
  }

  /**
   * Why this event may not be stored, or undefined. Event bans are read from LMDB, not only the
   * cache, so a ban made by another process (`hamlet moderation ban`) holds at once.
   */
  banned(event: Pick<NostrEvent, 'id' | 'pubkey'>): string | undefined {
    if (this.bannedEvents.has(event.id) || this.db.get(['ban-event', event.id]) !== undefined) {
      return 'blocked: this event was removed by the village moderators';
    }
    if (this.bannedPubkeys.has(event.pubkey)) return 'blocked: this author is banned from the village';
    return undefined;
  }
  isPubkeyBanned(pubkey: string): boolean {
    return this.bannedPubkeys.has(pubkey);
  }
  /** Banned authors, hidden from reads too (so an unban brings their events back); undefined when none. */
  bannedAuthors(): ReadonlySet<string> | undefined {
    return this.bannedPubkeys.size > 0 ? this.bannedPubkeys : undefined;
  }

  /** Remembers a held event (called by the engine when the write stage answers hold). */
  hold(entry: Omit<HeldEntry, 'event'>): Promise<boolean> {
    const { id, ...rest } = entry;
    return this.db.put(['held', id], rest);
  }

  listHeld(limit = 100): HeldEntry[] {
    const out: HeldEntry[] = [];
    for (const { key, value } of this.db.getRange({ start: ['held'], end: ['held', '\uffff'] })) {
      const held = value as Omit<HeldEntry, 'id'>;
      out.push({ id: key[1], ...held, event: this.relay?.getById(key[1]) });
    }
    return out.sort((a, b) => b.at - a.at).slice(0, limit);
  }

  isHeld(id: string): boolean {
    return this.db.get(['held', id]) !== undefined;
  }

  /** NIP-86 allowevent: releases a held event (or lifts an event ban). */
  async allowEvent(id: string, who: ModeratorAction = {}): Promise<boolean> {
    const held = this.db.get(['held', id]) as Omit<HeldEntry, 'id'> | undefined;
    const wasBanned = this.bannedEvents.delete(id);
    if (wasBanned) await this.db.remove(['ban-event', id]);
    let released = false;
    if (held) {
      await this.db.remove(['held', id]);
      released = (await this.relay?.releaseHeld(id)) ?? false;
    }
    if (!held && !wasBanned) return false;
    await this.decisions.record({
      at: Date.now(),
      stage: 'write',
      action: 'allow',
      policy: 'moderator',
      eventId: id,
      pubkey: held?.pubkey,
      kind: held?.kind,
      reason: who.reason ?? (released ? 'released from hold' : 'ban lifted'),
      moderator: who.moderator,
    });
    return true;
  }

  /** NIP-86 banevent: removes the event for good and refuses it if it comes again. */
  async banEvent(id: string, who: ModeratorAction = {}): Promise<boolean> {
    const held = this.db.get(['held', id]) as Omit<HeldEntry, 'id'> | undefined;
    const stored = this.relay?.getById(id);
    this.bannedEvents.add(id);
    await this.db.put(['ban-event', id], { at: Date.now(), reason: who.reason ?? '', moderator: who.moderator });
    if (held) await this.db.remove(['held', id]);
    if (this.relay) await this.relay.removeEvent(id);
    await this.decisions.record({
      at: Date.now(),
      stage: 'write',
      action: 'ban',
      policy: 'moderator',
      rule: 'banned',
      eventId: id,
      pubkey: held?.pubkey ?? stored?.pubkey,
      kind: held?.kind ?? stored?.kind,
      reason: who.reason ?? 'banned by a moderator',
      moderator: who.moderator,
    });
    return true;
  }

  /** NIP-86 banpubkey: refuses the author's future events (stored ones stay unless removed). */
  async banPubkey(pubkey: string, who: ModeratorAction = {}): Promise<void> {
    this.bannedPubkeys.add(pubkey);
    await this.db.put(['ban-pubkey', pubkey], { at: Date.now(), reason: who.reason ?? '', moderator: who.moderator });
    await this.decisions.record({ at: Date.now(), stage: 'write', action: 'ban', policy: 'moderator', rule: 'banned', pubkey, reason: who.reason ?? 'banned by a moderator', moderator: who.moderator });
  }

  /** NIP-86 unbanpubkey (allowpubkey lifts a ban too). */
  async unbanPubkey(pubkey: string, who: ModeratorAction = {}): Promise<boolean> {
    if (!this.bannedPubkeys.delete(pubkey)) return false;
    await this.db.remove(['ban-pubkey', pubkey]);
    await this.decisions.record({ at: Date.now(), stage: 'write', action: 'allow', policy: 'moderator', pubkey, reason: who.reason ?? 'ban lifted', moderator: who.moderator });
    return true;
  }

  listBannedPubkeys(): Array<BanEntry & { pubkey: string }> {
    return [...this.db.getRange({ start: ['ban-pubkey'], end: ['ban-pubkey', '\uffff'] })].map(({ key, value }) => ({ pubkey: key[1], ...(value as BanEntry) }));
  }
  listBannedEvents(): Array<BanEntry & { id: string }> {
    return [...this.db.getRange({ start: ['ban-event'], end: ['ban-event', '\uffff'] })].map(({ key, value }) => ({ id: key[1], ...(value as BanEntry) }));
  }
}
