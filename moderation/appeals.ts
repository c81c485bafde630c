import { isHex64 } from '../relay/nostr/hex.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { lastDecision, OUTCOMES, type Case, type Outcome } from './case.ts';
import { communitiesOf } from './communities.ts';
import { moderationConfig, villageMembers, type ModerationContext } from './context.ts';
import type { Decider } from './decide.ts';
import { drawJury } from './jury.ts';
import { appealReceipt } from './labels.ts';
import { summons } from './notices.ts';

const HOUR_MS = 3_600_000;

/** The case an appeal or a vote names: its first `e` tag. */
const caseIdOf = (e: NostrEvent): string | undefined => e.tags.find((t) => t[0] === 'e' && isHex64(t[1]))?.[1];

/**
 * Appeals (kind 4560) by a decision's author, answered at once with a signed receipt (kind
 * 4561); a jury drawn at random across the follow graph's communities, summoned over NIP-17;
 * jurors' votes (kind 4562), of which the first majority decides. Anything out of turn is
 * refused with the reason.
 */
export class AppealDesk {
  constructor(
    private readonly ctx: ModerationContext,
    private readonly decider: Decider,
  ) {}

  /** A refusal, or undefined once the appeal is recorded (the receipt and summons follow). */
  appeal(e: NostrEvent): string | undefined {
    const { ctx } = this;
    const id = caseIdOf(e);
    if (!id) return 'invalid: an appeal names its case with an e tag (the id of the hidden event)';
    const c = ctx.cases.get(id);
    if (!c) return 'invalid: there is no moderation case about this event';
    if (c.event.pubkey !== e.pubkey) return 'restricted: only the author of the event can appeal';
    if (c.appeal) return 'duplicate: this decision was already appealed';
    if (c.status === 'open') return 'invalid: this case is still under review; appeal once a moderator has decided';
    const d = lastDecision(c);
    if (c.status === 'final' || !d || d.outcome !== 'uphold') return 'invalid: there is nothing to appeal in this case';
    const now = ctx.now();
    if (d.appealUntil !== undefined && now > d.appealUntil) return `blocked: the appeal window closed on ${new Date(d.appealUntil).toISOString()}`;

    const config = moderationConfig(ctx);
    const { jury, communities } = this.draw(c, e.id, config.jurySize);
    c.appeal = { id: e.id, at: now, reason: e.content.slice(0, 2000), jury, communities, deadline: now + config.juryHours * HOUR_MS, votes: {} };
    c.status = 'appealed';
    c.actions.push({ at: now, by: e.pubkey, action: 'appeal', detail: e.content.slice(0, 200), eventId: e.id });
    c.actions.push({ at: now, by: 'draw', action: 'jury', detail: `${jury.length} jurors from ${communities} communities, seed ${e.id}` });
    ctx.cases.put(c);

    ctx.later(`appeal on ${c.id}`, async () => {
      const receipt = await ctx.publisher.publish(appealReceipt(c, ctx.relayUrl()));
      const saved = ctx.cases.get(c.id)!;
      if (receipt) {
        saved.appeal!.receiptId = receipt.id;
        saved.actions.push({ at: ctx.now(), by: ctx.publisher.key.pubkey, action: 'notify', detail: 'receipt', eventId: receipt.id });
      }
      ctx.cases.put(saved);
      const text = summons(c, this.decider.rule(d.rule), ctx.relayUrl());
      for (const juror of jury) await ctx.publisher.message(juror, text, 'You were drawn for a village jury');
      await ctx.decisions?.record({ at: now, stage: 'write', action: 'appeal', policy: 'village-appeal', rule: d.rule, reason: `jury of ${jury.length}`, eventId: c.id, pubkey: c.event.pubkey, kind: c.event.kind });
    });
    return undefined;
  }

  /** A refusal, or undefined once the vote is counted (a majority decides at once). */
  vote(e: NostrEvent): string | undefined {
    const { ctx } = this;
    const id = caseIdOf(e);
    const c = id ? ctx.cases.get(id) : undefined;
    if (!c || !c.appeal) return 'invalid: no appeal is open on this event';
    if (c.status === 'final') return 'blocked: this case is closed';
    const a = c.appeal;
    if (!a.jury.includes(e.pubkey)) return 'restricted: you are not on the jury of this case';
    if (a.votes[e.pubkey]) return 'duplicate: you already voted on this case';
    const vote = e.tags.find((t) => t[0] === 'vote')?.[1] as Outcome | undefined;
    if (!vote || !OUTCOMES.includes(vote)) return 'invalid: a vote needs a ["vote", "uphold"] or ["vote", "overturn"] tag';
    const now = ctx.now();
    if (now > a.deadline) return "blocked: the jury's time is over; a moderator decides";

    a.votes[e.pubkey] = { vote, id: e.id, at: now };
    c.actions.push({ at: now, by: e.pubkey, action: 'vote', detail: vote, eventId: e.id });
    ctx.cases.put(c);
    const needed = Math.floor(a.jury.length * moderationConfig(ctx).juryMajority) + 1;
    const count = Object.values(a.votes).filter((v) => v.vote === vote).length;
    if (count >= needed) this.decider.decide(c.id, { outcome: vote, by: 'jury', note: `${count} of ${a.jury.length} jurors` });
    return undefined;
  }

  /** Eligible: members, not the author, not a reporter, not the moderator who decided. */
  private draw(c: Case, seed: string, size: number): { jury: string[]; communities: number } {
    const members = villageMembers(this.ctx);
    if (!members) return { jury: [], communities: 0 };
    const excluded = new Set([c.event.pubkey, this.ctx.publisher.key.pubkey, ...c.reports.map((r) => r.reporter), ...c.decisions.flatMap((d) => (d.moderator ? [d.moderator] : []))]);
    const eligible = [...members].filter((p) => !excluded.has(p));
    return drawJury(eligible, communitiesOf(eligible, (p) => this.ctx.graph.following(p)), size, seed);
  }
}
