import { REPORT_TYPES, type ReportType } from '../config/sections/moderation.ts';
import { isHex64 } from '../relay/nostr/hex.ts';
import { PRIVATE_KINDS } from '../relay/nostr/kinds.ts';
import { groupOf } from '../relay/nostr/tags.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { Case } from './case.ts';
import { moderationConfig, villageMembers, type ModerationContext } from './context.ts';
import { rulebookVersion } from './rulebook.ts';
import { reporterWeight } from './weight.ts';

const HOUR_MS = 3_600_000;

export interface ParsedReport {
  target: string;
  type: ReportType;
}

/** NIP-56: the first `e` tag names the reported event, its third element (or the `p` tag's) the type. */
export function parseReport(e: NostrEvent): ParsedReport | undefined {
  const tag = e.tags.find((t) => t[0] === 'e' && isHex64(t[1]));
  if (!tag) return undefined;
  const raw = tag[2] || e.tags.find((t) => t[0] === 'p')?.[2] || 'other';
  return { target: tag[1]!, type: (REPORT_TYPES as readonly string[]).includes(raw) ? (raw as ReportType) : 'other' };
}

/**
 * Reports (NIP-56, kind 1984) from members become cases. Each is weighed by its reporter's track
 * record; once a case's weight reaches moderation.threshold, the provisional action (hide pending
 * review, or label only) is taken. Floods, self-reports, repeated reports and reports on events
 * the relay does not have are refused with the reason.
 */
export class ReportDesk {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly ctx: ModerationContext,
    private readonly onThreshold: (c: Case) => void,
  ) {}

  /** A refusal ("<prefix>: reason"), or undefined once the report is counted in its case. */
  screen(e: NostrEvent): string | undefined {
    const report = parseReport(e);
    // A report on a person only (p tags) is stored as NIP-56 says; cases are about events.
    if (!report) return undefined;
    const { ctx } = this;
    const config = moderationConfig(ctx);
    const target = ctx.services.getById(report.target);
    if (!target) return 'invalid: the reported event is not on this relay';
    if (target.pubkey === e.pubkey) return 'invalid: you cannot report your own event';
    if (PRIVATE_KINDS.includes(target.kind)) return 'restricted: private messages are not moderated through reports';
    if (target.pubkey === ctx.publisher.key.pubkey) return 'invalid: moderation decisions are contested by appeal, not by report';
    const members = villageMembers(ctx);
    if (members && !members.has(e.pubkey)) return 'restricted: only members of the village can report here';
    const existing = ctx.cases.get(report.target);
    if (existing?.reports.some((r) => r.reporter === e.pubkey)) return 'duplicate: you already reported this event';
    if (!this.underLimit(e.pubkey, config.maxReportsPerHour)) return `rate-limited: at most ${config.maxReportsPerHour} reports an hour`;

    const now = ctx.now();
    const record = ctx.cases.reporter(e.pubkey);
    const weight = reporterWeight(record, { upheld: config.priorUpheld, overturned: config.priorOverturned });
    const c: Case = existing ?? {
      id: target.id,
      event: target,
      ...(groupOf(target) !== undefined ? { group: groupOf(target) } : {}),
      openedAt: now,
      origin: 'reports',
      rule: config.reportRules[report.type] ?? 'content',
      rulebookVersion: rulebookVersion(ctx.rules()),
      reports: [],
      weight: 0,
      status: 'open',
      visibility: 'visible',
      decisions: [],
      actions: [{ at: now, by: 'reports', action: 'open', detail: `first report: ${report.type}` }],
    };
    c.reports.push({ id: e.id, reporter: e.pubkey, type: report.type, weight, at: now, note: e.content.slice(0, 500) });
    c.weight += weight;
    c.actions.push({ at: now, by: e.pubkey, action: 'report', detail: `${report.type}, weight ${weight.toFixed(2)}`, eventId: e.id });
    ctx.cases.put(c);
    if (!existing) ctx.opened(c);
    ctx.cases.updateReporter(e.pubkey, (r) => ({ ...r, filed: r.filed + 1 }));
    if (c.status === 'open' && c.visibility === 'visible' && c.weight >= config.threshold) this.onThreshold(c);
    return undefined;
  }

  /** Counts the report in the reporter's sliding hour; false past the limit. */
  private underLimit(reporter: string, max: number): boolean {
    const now = this.ctx.now();
    const times = (this.recent.get(reporter) ?? []).filter((t) => now - t < HOUR_MS);
    if (times.length >= max) {
      this.recent.set(reporter, times);
      return false;
    }
    times.push(now);
    this.recent.set(reporter, times);
    if (this.recent.size > 10_000) for (const [k, v] of this.recent) if (v.every((t) => now - t >= HOUR_MS)) this.recent.delete(k);
    return true;
  }
}
