import { FollowGraph } from '../relay/nostr/followGraph.ts';
import { parsePubkey } from '../relay/nostr/keys.ts';
import { KIND_APPEAL, KIND_FOLLOWS, KIND_JURY_VOTE, KIND_REPORT, KIND_VANISH } from '../relay/nostr/kinds.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { Decision, PolicyEngine, WriteInput } from '../relay/policy.ts';
import type { Config } from '../config/schema.ts';
import type { Moderator } from '../relay/management/moderator.ts';
import type { RelayServices } from '../relay/services.ts';
import { join } from 'node:path';
import { inlineEmbedder, type Embedder } from '../models/index.ts';
import { AppealDesk } from './appeals.ts';
import type { Case, CaseStatus } from './case.ts';
import { CaseStore } from './caseStore.ts';
import type { DecisionSink, ModerationContext } from './context.ts';
import { Decider, type DecideInput } from './decide.ts';
import { guardWrites } from './guard.ts';
import { loadOrCreateModerationKey, moderationKeyFile, type ModerationKey } from './key.ts';
import { HeadRegistry } from './headRegistry.ts';
import { Publisher } from './publisher.ts';
import { CaseScorer } from './scorer.ts';
import { eraseAuthor, vanishNamesRelay } from './vanish.ts';
import { ReportDesk } from './reports.ts';
import type { RuleRef } from './rulebook.ts';
import { moderationStats, type ModerationStats } from './stats.ts';

const SWEEP_MS = 10 * 60_000;

export interface VillageOptions {
  services: RelayServices;
  /** The live config (hot keys apply); default services.config. */
  config?: () => Config;
  /** This relay's URL, for relay hints. */
  relayUrl: () => string;
  /** The rulebook's rules as they are now. */
  rules: () => readonly RuleRef[];
  /** The active embedding model, for the moderation head; default the built-in one in this thread. */
  embedder?: Embedder;
  /** Where trained heads live; default <models.dir>/heads. */
  headsDir?: string;
  /** Hides a stored event (Store.hide). */
  hide: (id: string) => Promise<boolean>;
  moderator?: Moderator;
  decisions?: DecisionSink;
  now?: () => number;
}

/**
 * The village moderates itself: reports become cases, provisional actions follow weighted
 * reports, moderators decide, decisions are signed labels, authors appeal to juries. One per
 * data directory; the relay and the `hamlet moderation` commands each open one over it.
 */
export class VillageModeration {
  readonly key: ModerationKey;
  readonly cases: CaseStore;
  /** Versions of the village moderation head, and which one an operator approved. */
  readonly heads: HeadRegistry;
  private readonly ctx: ModerationContext;
  private readonly decider: Decider;
  private readonly reports: ReportDesk;
  private readonly appeals: AppealDesk;
  private effects: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private readonly sweeper: NodeJS.Timeout;

  constructor(o: VillageOptions) {
    const { services } = o;
    const config = o.config ?? (() => services.config);
    this.key = loadOrCreateModerationKey(moderationKeyFile(config()));
    this.cases = new CaseStore(services.env);
    const graph = new FollowGraph((pubkeys) => {
      const out: NostrEvent[] = [];
      for (let i = 0; i < pubkeys.length; i += 500) {
        const authors = pubkeys.slice(i, i + 500);
        out.push(...services.query([{ kinds: [KIND_FOLLOWS], authors, limit: authors.length }]));
      }
      return out;
    });
    this.heads = new HeadRegistry(o.headsDir ?? join(config().models.dir, 'heads'), config().moderation.head);
    const scorer = new CaseScorer(this.heads, o.embedder ?? inlineEmbedder(), services.log);
    this.ctx = {
      services,
      cases: this.cases,
      publisher: new Publisher(services, this.key, o.relayUrl),
      graph,
      config,
      relayUrl: o.relayUrl,
      rules: o.rules,
      hide: o.hide,
      moderator: o.moderator,
      decisions: o.decisions,
      now: o.now ?? Date.now,
      opened: (c) => this.ctx.later(`scoring case ${c.id}`, () => this.score(c.id, scorer)),
      later: (what, fn) => {
        this.effects = this.effects.then(fn).catch((err: Error) => services.log.error({ err: err.message }, `moderation: ${what} failed`));
      },
    };
    this.decider = new Decider(this.ctx);
    this.reports = new ReportDesk(this.ctx, (c) => this.decider.provisional(c));
    this.appeals = new AppealDesk(this.ctx, this.decider);
    this.unsubscribe = services.onCommitted((e) => {
      // New follow lists change who is a member and the communities juries are drawn across.
      graph.apply(e);
      if (e.kind === KIND_VANISH && this.ctx.config().nips.vanish && vanishNamesRelay(e, o.relayUrl())) eraseAuthor(this.cases, e.pubkey);
    });
    services.log.info({ pubkey: this.key.pubkey, head: this.heads.file }, 'moderation: started; decisions are signed by this key');
    this.sweeper = setInterval(() => this.sweepJuries(), SWEEP_MS);
    this.sweeper.unref();
  }

  /** The policy engine with this village's write screen after it (see guard.ts). */
  guard(engine: PolicyEngine): PolicyEngine {
    return guardWrites(engine, (input, d) => this.screen(input, d));
  }

  /** Screens a write the policies decided: reports, appeals, votes; held events open a case. */
  screen(input: WriteInput, d: Decision): Decision {
    const { event } = input;
    if (d.action === 'hold') {
      this.decider.held(event, d.rule, { reason: d.reason, ...d.evidence });
      return d;
    }
    if ((d.action !== 'accept' && d.action !== 'label') || input.source !== 'client') return d;
    let refusal: string | undefined;
    if (event.kind === KIND_REPORT) refusal = this.reports.screen(event);
    else if (event.kind === KIND_APPEAL) refusal = this.appeals.appeal(event);
    else if (event.kind === KIND_JURY_VOTE) refusal = this.appeals.vote(event);
    if (!refusal) return d;
    void this.ctx.decisions
      ?.record({ at: this.ctx.now(), stage: 'write', action: 'reject', policy: 'village-moderation', reason: refusal, eventId: event.id, pubkey: event.pubkey, kind: event.kind })
      .catch((err: Error) => this.ctx.services.log.error({ err: err.message }, 'moderation: cannot record a refusal'));
    return { action: 'reject', reason: refusal };
  }

  /** A moderator's (or, for tests and tools, a jury's) decision; throws DecisionRefused with why. */
  decide(id: string, input: DecideInput): Case {
    return this.decider.decide(id, input);
  }

  getCase(id: string): Case | undefined {
    return this.cases.get(id);
  }

  listCases(q: { status?: readonly CaseStatus[]; limit?: number } = {}): Case[] {
    return this.cases.list(q);
  }

  /** Adds the approved head's score to a new case's evidence. */
  private async score(id: string, scorer: CaseScorer): Promise<void> {
    const c = this.cases.get(id);
    // a NIP-29 group that has not opted in is read by no model, the moderation head included
    if (!c || !this.ctx.services.modelMayRead(c.event)) return;
    const evidence = await scorer.score(c.event.content);
    if (!evidence) return;
    const saved = this.cases.get(id)!;
    saved.evidence = { ...saved.evidence, ...evidence };
    saved.actions.push({ at: this.ctx.now(), by: evidence.model!, action: 'score', detail: `P(hide) ${evidence.score!.toFixed(3)}` });
    this.cases.put(saved);
  }

  /**
   * Appeals whose jury ran out of time (or for which none could be drawn) go to the moderators:
   * the case records it once, and the relay's admins (relay.admins) get a NIP-17 message.
   * Runs every ten minutes; returns how many cases it handed over.
   */
  sweepJuries(): number {
    const now = this.ctx.now();
    const admins = this.ctx.config().relay.admins.flatMap((a) => parsePubkey(a) ?? []);
    let handed = 0;
    for (const c of this.cases.list({ status: ['appealed'] })) {
      const a = c.appeal!;
      if ((a.jury.length > 0 && now <= a.deadline) || c.actions.some((x) => x.action === 'jury' && x.by === 'clock')) continue;
      const votes = Object.keys(a.votes).length;
      const why = a.jury.length === 0 ? 'no jury could be drawn' : `the jury's time is over with ${votes} of ${a.jury.length} votes and no majority`;
      c.actions.push({ at: now, by: 'clock', action: 'jury', detail: `${why}; a moderator decides` });
      this.cases.put(c);
      handed++;
      const text = `Case ${c.id}: ${why}. Decide it: hamlet moderation decide ${c.id} uphold|overturn (or NIP-86 decidecase).`;
      this.ctx.later(`telling the moderators about case ${c.id}`, async () => {
        for (const admin of admins) await this.ctx.publisher.message(admin, text, 'An appeal waits for a moderator');
      });
    }
    return handed;
  }

  /** Accountability figures over every case. */
  stats(now = this.ctx.now()): ModerationStats {
    return moderationStats(this.cases.list(), this.cases.allReporters(), now);
  }

  /** Resolves once every side effect so far (hides, labels, messages) is done and written. */
  async settled(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.effects) {
      seen = this.effects;
      await seen;
    }
    await this.cases.flushed();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.unsubscribe?.();
    await this.settled();
  }
}
