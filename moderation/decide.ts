import { groupOf } from '../relay/nostr/tags.ts';
import type { Case, CaseAction, CaseEvidence, Decision, Outcome } from './case.ts';
import { lastDecision } from './case.ts';
import { moderationConfig, type ModerationContext } from './context.ts';
import { decisionLabel, decisionValue, type DecisionValue } from './labels.ts';
import { decisionNotice, provisionalNotice, verdictNotice } from './notices.ts';
import { rulebookVersion } from './rulebook.ts';

const DAY_MS = 86_400_000;

/** A decision that cannot be taken now, with why (the CLI and NIP-86 show it as is). */
export class DecisionRefused extends Error {}

export interface DecideInput {
  outcome: Outcome;
  by: 'moderator' | 'jury';
  /** Who decided (pubkey or name), for moderators. */
  moderator?: string;
  /** The rule decided under; default the case's rule. */
  rule?: string;
  note?: string;
}

/**
 * Takes decisions on cases and carries them out: the event is hidden or restored (never
 * deleted), the decision is published as a label signed by the moderation key, the author is
 * told over NIP-17, the decision log and the reporters' track records follow.
 */
export class Decider {
  constructor(private readonly ctx: ModerationContext) {}

  /** The provisional action once weighted reports reach the threshold. */
  provisional(c: Case): void {
    const { ctx } = this;
    const hide = moderationConfig(ctx).action === 'hide';
    c.visibility = hide ? 'hidden' : 'flagged';
    this.act(c, { by: 'reports', action: hide ? 'hide' : 'flag', detail: `weighted reports ${c.weight.toFixed(2)} reached ${moderationConfig(ctx).threshold}` });
    ctx.cases.put(c);
    const value: DecisionValue = hide ? 'hidden' : 'flagged';
    ctx.later(`provisional action on ${c.id}`, async () => {
      if (hide) await ctx.hide(c.id);
      await this.label(c.id, value, 'reports', c.rule, c.rulebookVersion);
      await this.notify(c.id, provisionalNotice(c, this.rule(c.rule), ctx.relayUrl()), 'Your post is under review');
      await ctx.decisions?.record({ at: ctx.now(), stage: 'write', action: hide ? 'hide' : 'label', policy: 'village-reports', rule: c.rule, reason: `${c.reports.length} reports, weight ${c.weight.toFixed(2)}`, eventId: c.id, pubkey: c.event.pubkey, kind: c.event.kind });
    });
  }

  /** A case for an event a write policy held on arrival: already hidden, waiting for a moderator. */
  held(event: Case['event'], rule: string | undefined, evidence: CaseEvidence): void {
    const { ctx } = this;
    if (ctx.cases.get(event.id)) return;
    const now = ctx.now();
    const by = `policy:${evidence.policy ?? 'unknown'}`;
    const c: Case = {
      id: event.id,
      event,
      ...(groupOf(event) !== undefined ? { group: groupOf(event) } : {}),
      openedAt: now,
      origin: 'policy',
      rule: rule ?? 'content',
      rulebookVersion: rulebookVersion(ctx.rules()),
      evidence,
      reports: [],
      weight: 0,
      status: 'open',
      visibility: 'hidden',
      decisions: [],
      actions: [{ at: now, by, action: 'open', detail: evidence.reason }, { at: now, by, action: 'hide', detail: 'held on arrival' }],
    };
    ctx.cases.put(c);
    ctx.opened(c);
  }

  /** Decides a case; throws DecisionRefused when this decision is not open now. */
  decide(id: string, input: DecideInput): Case {
    const { ctx } = this;
    const c = ctx.cases.get(id);
    if (!c) throw new DecisionRefused(`no case about ${id}`);
    const now = ctx.now();
    if (c.status === 'final') throw new DecisionRefused('this case is closed: its decision is final');
    if (input.by === 'moderator' && c.status === 'decided') throw new DecisionRefused('this case is decided; only an appeal by its author reopens it');
    if (input.by === 'moderator' && c.status === 'appealed' && c.appeal!.jury.length > 0 && now < c.appeal!.deadline) {
      throw new DecisionRefused(`a jury decides this appeal until ${new Date(c.appeal!.deadline).toISOString()}`);
    }
    const rule = input.rule ?? lastDecision(c)?.rule ?? c.rule;
    if (input.rule && !this.rule(input.rule)) throw new DecisionRefused(`no rule "${input.rule}" in the rulebook`);
    const appealable = input.by === 'moderator' && c.status === 'open' && input.outcome === 'uphold';
    const d: Decision = {
      outcome: input.outcome,
      rule,
      rulebookVersion: rulebookVersion(ctx.rules()),
      by: input.by,
      moderator: input.moderator,
      note: input.note,
      at: now,
      appealUntil: appealable ? now + moderationConfig(ctx).appealDays * DAY_MS : undefined,
    };
    const appeal = c.status === 'appealed';
    c.decisions.push(d);
    c.status = appealable ? 'decided' : 'final';
    const wasHidden = c.visibility === 'hidden';
    c.visibility = d.outcome === 'uphold' ? 'hidden' : 'visible';
    this.act(c, { by: input.by === 'jury' ? 'jury' : (input.moderator ?? 'moderator'), action: appeal ? 'verdict' : 'decide', detail: `${d.outcome} under ${rule}${d.note ? `: ${d.note}` : ''}` });
    this.count(c, d.outcome);
    ctx.cases.put(c);

    ctx.later(`decision on ${c.id}`, async () => {
      if (d.outcome === 'uphold' && !wasHidden) await ctx.hide(c.id);
      if (d.outcome === 'overturn' && wasHidden) await this.restore(c, d);
      const label = await this.label(c.id, decisionValue(d.outcome), d.by, rule, d.rulebookVersion, d.appealUntil, d.note);
      if (label) {
        const saved = ctx.cases.get(c.id)!;
        const last = saved.decisions.find((x) => x.at === d.at && x.outcome === d.outcome);
        if (last) last.labelId = label;
        ctx.cases.put(saved);
      }
      const text = appeal ? verdictNotice(c, d, ctx.relayUrl()) : decisionNotice(c, d, this.rule(rule), ctx.relayUrl());
      await this.notify(c.id, text, appeal ? 'Your appeal' : 'A moderation decision about your post');
      await ctx.decisions?.record({
        at: d.at,
        stage: 'write',
        action: d.outcome,
        policy: appeal ? 'village-appeal' : 'village-moderator',
        rule,
        reason: `${d.by}${d.note ? `: ${d.note}` : ''}`,
        eventId: c.id,
        pubkey: c.event.pubkey,
        kind: c.event.kind,
        moderator: d.by === 'jury' ? 'jury' : d.moderator,
      });
    });
    return c;
  }

  rule(id: string) {
    return this.ctx.rules().find((r) => r.id === id);
  }

  /** Brings a hidden event back: through the policy engine's queue when a policy held it. */
  private async restore(c: Case, d: Decision): Promise<void> {
    const { ctx } = this;
    const who = { moderator: d.moderator ?? d.by, reason: `case overturned (${d.by})` };
    if (c.origin === 'policy' && ctx.moderator && (await ctx.moderator.allowEvent(c.id, who))) return;
    await ctx.services.releaseHeld(c.id);
  }

  /** Reporters' track records: the case's latest outcome replaces the one counted before. */
  private count(c: Case, outcome: Outcome): void {
    if (c.counted === outcome) return;
    for (const r of c.reports) {
      this.ctx.cases.updateReporter(r.reporter, (t) => {
        const next = { ...t };
        if (c.counted === 'uphold') next.upheld--;
        if (c.counted === 'overturn') next.overturned--;
        if (outcome === 'uphold') next.upheld++;
        else next.overturned++;
        return next;
      });
    }
    c.counted = outcome;
  }

  private act(c: Case, a: Omit<CaseAction, 'at'>): void {
    c.actions.push({ at: this.ctx.now(), ...a });
  }

  /** Publishes the decision label; its id, recorded in the case's actions. */
  private async label(id: string, value: DecisionValue, by: Decision['by'], rule: string, version: string, appealUntil?: number, note?: string): Promise<string | undefined> {
    const { ctx } = this;
    const c = ctx.cases.get(id)!;
    const event = await ctx.publisher.publish(
      decisionLabel({
        c,
        value,
        by,
        rule: this.rule(rule) ?? { id: rule },
        rulebookVersion: version,
        namespace: moderationConfig(ctx).namespace,
        relayUrl: ctx.relayUrl(),
        appealUntil: appealUntil === undefined ? undefined : Math.floor(appealUntil / 1000),
        note,
      }),
    );
    if (!event) return undefined;
    this.record(id, { by: ctx.publisher.key.pubkey, action: 'label', detail: value, eventId: event.id });
    return event.id;
  }

  private async notify(id: string, text: string, subject: string): Promise<void> {
    const { ctx } = this;
    const c = ctx.cases.get(id)!;
    const wrap = await ctx.publisher.message(c.event.pubkey, text, subject);
    if (wrap) this.record(id, { by: ctx.publisher.key.pubkey, action: 'notify', detail: 'author', eventId: wrap });
  }

  private record(id: string, a: Omit<CaseAction, 'at'>): void {
    const c = this.ctx.cases.get(id);
    if (!c) return;
    this.act(c, a);
    this.ctx.cases.put(c);
  }
}
