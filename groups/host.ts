import type { Config } from '../config/schema.ts';
import type { Decision, PolicyEngine, ReadDecision, ReadInput, WriteInput } from '../relay/policy.ts';
import type { RelayServices } from '../relay/services.ts';
import type { KeyPair } from '../relay/nostr/keyFile.ts';
import { KIND_WIKI_ARTICLE, KIND_WIKI_MERGE_REQUEST } from '../relay/nostr/kinds.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { STATE_KINDS, type Group } from './group.ts';
import type { ActionInput, Effect, GroupAction } from './moderation/index.ts';
import { checkRead, hiddenFrom, mayReadGroupEvent } from './read.ts';
import { removalEvent, stateEvents } from './relaySigned.ts';
import { GroupState } from './state.ts';
import { TIMELINE_WINDOW } from './timeline.ts';
import { checkWrite, type WriteContext } from './write.ts';
import { modelReadRule } from './consent.ts';
import { checkArticle } from './wiki/article.ts';
import { checkMergeRequest } from './wiki/mergeRequest.ts';

/** An event a group's admin or moderator removed (9005), for the village's case about it. */
export interface GroupModeration {
  eventId: string;
  group: string;
  /** The admin or moderator. */
  by: string;
  reason: string;
  /** A rule of the group's own (`group:<id>/<rule>`) or of the village rulebook, when cited. */
  rule?: string;
  /** The group's rule text, when a group rule is cited. */
  ruleText?: string;
}

export interface GroupHostOptions {
  services: RelayServices;
  /** The config in force now (hot keys apply at once). */
  config: () => Config;
  key: KeyPair;
  /**
   * Village moderation's part in a group removal: true when it took the event into its case
   * (hidden, appealable, decided by the group's moderator); otherwise the relay removes it (NIP-29).
   */
  moderated?: (m: GroupModeration) => boolean;
}

const now = (): number => Math.floor(Date.now() / 1000);

/**
 * The relay as the home of NIP-29 groups and the NIP-54 wiki: the write checks, the read checks,
 * group state kept in LMDB and published as relay-signed events, and the models' consent rule.
 */
export class GroupHost {
  readonly state: GroupState;
  private readonly ctx: WriteContext;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly o: GroupHostOptions) {
    this.state = new GroupState(o.services.env);
    this.ctx = {
      config: o.config,
      state: this.state,
      self: o.key.pubkey,
      eventById: (id) => o.services.getById(id),
      recent: (id) => this.recent(id),
    };
    o.services.setModelReadRule(modelReadRule((id) => this.state.get(id)));
  }

  get pubkey(): string {
    return this.o.key.pubkey;
  }

  /** The policy engine with the groups' and the wiki's checks around it. */
  guard(engine: PolicyEngine): PolicyEngine {
    const write = async (input: WriteInput): Promise<Decision> => {
      const refused = this.refusal(input);
      if (refused) return { action: 'reject', reason: refused };
      const decided = await engine.write(input);
      if (decided.action !== 'accept' && decided.action !== 'label') return decided;
      // checked again now: another event may have changed the group while the policies ran
      const verdict = checkWrite(input.event, input.source, this.ctx);
      if ('refusal' in verdict) return { action: 'reject', reason: verdict.refusal };
      if (verdict.action) this.carryOut(verdict.action.run, verdict.action.input);
      return decided;
    };
    const read = async (input: ReadInput): Promise<ReadDecision> => checkRead(input, this.state) ?? engine.read(input);
    const self = this.o.key.pubkey;
    const overrides: Partial<PolicyEngine> = {
      write,
      read,
      broadcast: (input) => mayReadGroupEvent(input.event, input.recipient.authed, this.state, self) && engine.broadcast(input),
      hiddenFrom: (conn) => {
        const mine = hiddenFrom(conn, this.state, self);
        const theirs = engine.hiddenFrom?.(conn);
        return theirs ? (rec) => mine(rec) || theirs(rec) : mine;
      },
    };
    return new Proxy(engine, { get: (target, prop, receiver) => (Object.hasOwn(overrides, prop) ? overrides[prop as keyof PolicyEngine] : Reflect.get(target, prop, receiver)) });
  }

  /** Why this event may not be written here (groups, then wiki), or undefined. */
  private refusal(input: WriteInput): string | undefined {
    const verdict = checkWrite(input.event, input.source, this.ctx);
    if ('refusal' in verdict) return verdict.refusal;
    const e = input.event;
    if (!this.o.config().groups.wiki || (e.kind !== KIND_WIKI_ARTICLE && e.kind !== KIND_WIKI_MERGE_REQUEST)) return undefined;
    const byId = (id: string) => this.o.services.getById(id);
    return e.kind === KIND_WIKI_ARTICLE ? checkArticle(e, byId) : checkMergeRequest(e, (pk, topic) => this.latestArticle(pk, topic), byId);
  }

  private latestArticle(pubkey: string, topic: string): NostrEvent | undefined {
    return this.o.services.query([{ kinds: [KIND_WIKI_ARTICLE], authors: [pubkey], tags: new Map([['d', [topic]]]), limit: 1 }])[0];
  }

  /** Ids of the group's latest events and of its state events, for timeline references. */
  private recent(id: string): string[] {
    const events = this.o.services.query([
      { tags: new Map([['h', [id]]]), limit: TIMELINE_WINDOW },
      { kinds: [...STATE_KINDS], authors: [this.o.key.pubkey], tags: new Map([['d', [id]]]) },
    ]);
    return events.map((e) => e.id);
  }

  private carryOut(run: GroupAction, input: ActionInput): void {
    const { group, effects = [] } = run.apply(input);
    const stateAt = Math.max(now(), group.stateAt + 1);
    group.stateAt = stateAt;
    this.state.put(group);
    this.later(async () => {
      for (const effect of effects) await this.effect(effect, group, stateAt);
      if (!group.deleted) for (const e of stateEvents(group, this.o.key, stateAt)) await this.publish(e);
    });
  }

  private async effect(effect: Effect, group: Group, at: number): Promise<void> {
    const { services } = this.o;
    if (effect.type === 'announce-removal') await this.publish(removalEvent(group.id, effect.pubkey, this.o.key, at));
    else if (effect.type === 'drop-state') {
      const stored = services.query([{ kinds: [...STATE_KINDS], authors: [this.o.key.pubkey], tags: new Map([['d', [group.id]]]) }]);
      for (const e of stored) await services.removeEvent(e.id);
    } else {
      const rule = effect.rule?.startsWith(`group:${group.id}/`) ? effect.rule : undefined;
      const ruleText = rule && group.rules.find((r) => `group:${group.id}/${r.id}` === rule)?.text;
      const taken = this.o.moderated?.({ eventId: effect.id, group: group.id, by: effect.by, reason: effect.reason, ...(effect.rule ? { rule: effect.rule } : {}), ...(ruleText ? { ruleText } : {}) });
      if (!taken) await services.removeEvent(effect.id);
    }
  }

  private async publish(e: NostrEvent): Promise<void> {
    const r = await this.o.services.publish(e, 'internal');
    if (!r.ok) this.o.services.log.warn({ kind: e.kind, reason: r.message }, 'groups: a relay-signed event was refused');
  }

  private later(work: () => Promise<void>): void {
    const p = work().catch((err: unknown) => this.o.services.log.error({ err }, 'groups: carrying out a group action failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Resolves once every group change so far is published and stored. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.state.flushed();
  }

  async close(): Promise<void> {
    await this.settled();
  }
}
