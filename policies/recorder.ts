import type { Logger } from '../relay/log.ts';
import { countDecision } from '../relay/metrics/registry.ts';
import type { ReadDecision } from '../relay/policy.ts';
import type { DecisionLog, DecisionRecord } from './decisions.ts';
import { ACCEPT } from './decide.ts';
import type { Verdict } from './pipeline.ts';
import type { Stage } from './policy.ts';
import type { Rulebook } from './rulebook.ts';

const THROTTLE_MS = 10_000;

/**
 * Turns every verdict that is not a plain accept (a refusal, a label, or any answer a failing
 * policy's onError gave) into a metric and a decision record. Floods are folded: one record per
 * (policy, address, author) per 10 s for rate limits, one per failing policy per 10 s for
 * failures, each carrying how many were folded into it.
 */
export class DecisionRecorder {
  private readonly warnedRules = new Set<string>();
  private readonly throttled = new Map<string, { at: number; repeats: number }>();

  constructor(
    private readonly decisions: DecisionLog,
    private readonly rulebook: Rulebook,
    private readonly log: Logger,
  ) {}

  record(stage: Stage, v: Verdict<ReadDecision>, fields: Partial<DecisionRecord>): void {
    for (const f of v.passedFailures ?? []) this.recordOne(stage, { decision: ACCEPT, by: f.by, failed: f.failed }, fields);
    this.recordOne(stage, v, fields);
  }

  private recordOne(stage: Stage, v: Verdict<ReadDecision>, fields: Partial<DecisionRecord>): void {
    const d = v.decision;
    // A failed policy is recorded whatever its fail mode: an event accepted because a policy
    // could not judge it is exactly what a moderator needs to find.
    if (d.action === 'rewrite' || (d.action === 'accept' && !v.failed)) return;
    const rule = v.failed ? 'policy-error' : 'rule' in d ? d.rule : undefined;
    countDecision(stage, v.by ?? 'unknown', rule, d.action);
    let repeats: number | undefined;
    // A policy failing on every event, or a flood of rate-limited requests, must not become a
    // flood of records.
    const foldKey = v.failed ? `${stage}|${v.by}|failed` : 'reason' in d && d.reason.startsWith('rate-limited:') ? `${stage}|${v.by}|${fields.ip}|${fields.pubkey}` : undefined;
    if (foldKey) {
      const folded = this.fold(foldKey);
      if (folded === 'folded') return;
      repeats = folded;
    }
    if (rule && !this.rulebook.get(rule) && !this.warnedRules.has(rule)) {
      this.warnedRules.add(rule);
      this.log.warn({ rule, policy: v.by }, 'a decision names a rule that is not in the rulebook');
    }
    const ev = 'evidence' in d ? d.evidence : undefined;
    void this.decisions
      .record({
        at: Date.now(),
        stage,
        action: d.action,
        policy: v.by ?? 'unknown',
        rule,
        reason: 'reason' in d ? d.reason : undefined,
        labels: d.action === 'label' ? d.labels : undefined,
        model: ev?.model,
        modelVersion: ev?.modelVersion,
        score: ev?.score,
        failed: v.failed,
        repeats,
        ...fields,
      })
      .catch((err: Error) => this.log.error({ err: err.message }, 'cannot record a decision'));
  }

  /** 'folded' inside a key's window; else the repeats folded since the last record. */
  private fold(key: string): 'folded' | number | undefined {
    const now = Date.now();
    const t = this.throttled.get(key);
    if (t && now - t.at < THROTTLE_MS) {
      t.repeats++;
      return 'folded';
    }
    if (this.throttled.size > 10_000) for (const [k, x] of this.throttled) if (now - x.at >= THROTTLE_MS) this.throttled.delete(k);
    this.throttled.set(key, { at: now, repeats: 0 });
    return t?.repeats || undefined;
  }
}
