import type { Case } from './case.ts';
import type { TrackRecord } from './weight.ts';

/** Accountability figures over the village's cases (`hamlet moderation stats`). */
export interface ModerationStats {
  cases: number;
  byStatus: Record<Case['status'], number>;
  byOrigin: Record<Case['origin'], number>;
  /** Open cases: waiting for a moderator (the backlog), and the oldest's age in hours. */
  backlog: { open: number; oldestHours: number | null };
  reports: number;
  /** Provisional actions of weighted reports. */
  provisional: { hidden: number; flagged: number };
  /** First decisions by a moderator. */
  moderatorDecisions: { upheld: number; overturned: number; medianHours: number | null };
  appeals: { filed: number; pending: number; upheld: number; overturned: number; byJury: number; byModeratorAfterTimeout: number; overturnRate: number | null };
  juries: { seats: number; votes: number; participation: number | null; meanCommunities: number | null };
  reporters: { count: number; withOutcomes: number; meanAccuracy: number | null };
  /** Hidden right now (never deleted). */
  hiddenNow: number;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const HOUR_MS = 3_600_000;

export function moderationStats(cases: readonly Case[], reporters: ReadonlyMap<string, TrackRecord>, now = Date.now()): ModerationStats {
  const count = <K extends string>(keys: readonly K[], of: (c: Case) => K) =>
    Object.fromEntries(keys.map((k) => [k, cases.filter((c) => of(c) === k).length])) as Record<K, number>;
  const open = cases.filter((c) => c.status === 'open');
  const firstDecisions = cases.flatMap((c) => (c.decisions[0]?.by === 'moderator' ? [{ c, d: c.decisions[0] }] : []));
  const appealed = cases.filter((c) => c.appeal);
  const verdicts = appealed.flatMap((c) => (c.status === 'final' && c.decisions.length > 1 ? [c.decisions[c.decisions.length - 1]!] : []));
  const seats = appealed.reduce((n, c) => n + c.appeal!.jury.length, 0);
  const votes = appealed.reduce((n, c) => n + Object.keys(c.appeal!.votes).length, 0);
  const withJury = appealed.filter((c) => c.appeal!.jury.length > 0);
  const decided = [...reporters.values()].filter((r) => r.upheld + r.overturned > 0);
  return {
    cases: cases.length,
    byStatus: count(['open', 'decided', 'appealed', 'final'], (c) => c.status),
    byOrigin: count(['reports', 'policy'], (c) => c.origin),
    backlog: { open: open.length, oldestHours: open.length ? Math.max(...open.map((c) => (now - c.openedAt) / HOUR_MS)) : null },
    reports: cases.reduce((n, c) => n + c.reports.length, 0),
    provisional: {
      hidden: cases.filter((c) => c.actions.some((a) => a.by === 'reports' && a.action === 'hide')).length,
      flagged: cases.filter((c) => c.actions.some((a) => a.by === 'reports' && a.action === 'flag')).length,
    },
    moderatorDecisions: {
      upheld: firstDecisions.filter(({ d }) => d.outcome === 'uphold').length,
      overturned: firstDecisions.filter(({ d }) => d.outcome === 'overturn').length,
      medianHours: median(firstDecisions.map(({ c, d }) => (d.at - c.openedAt) / HOUR_MS)),
    },
    appeals: {
      filed: appealed.length,
      pending: appealed.filter((c) => c.status === 'appealed').length,
      upheld: verdicts.filter((d) => d.outcome === 'uphold').length,
      overturned: verdicts.filter((d) => d.outcome === 'overturn').length,
      byJury: verdicts.filter((d) => d.by === 'jury').length,
      byModeratorAfterTimeout: verdicts.filter((d) => d.by === 'moderator').length,
      overturnRate: ratio(verdicts.filter((d) => d.outcome === 'overturn').length, verdicts.length),
    },
    juries: {
      seats,
      votes,
      participation: ratio(votes, seats),
      meanCommunities: withJury.length ? withJury.reduce((n, c) => n + c.appeal!.communities, 0) / withJury.length : null,
    },
    reporters: {
      count: reporters.size,
      withOutcomes: decided.length,
      meanAccuracy: decided.length ? decided.reduce((n, r) => n + r.upheld / (r.upheld + r.overturned), 0) / decided.length : null,
    },
    hiddenNow: cases.filter((c) => c.visibility === 'hidden').length,
  };
}
