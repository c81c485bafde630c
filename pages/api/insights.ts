import { KIND_NOTE, KIND_REACTION, KIND_REPOST } from '../../relay/nostr/kinds.ts';
import type { RelayServices } from '../../relay/services.ts';
import type { Endpoint } from './endpoint.ts';
import { invalid } from './respond.ts';

const DAY = 86_400;
/** Events read per chart at most: a village's weeks, not a big relay's years. */
const CAP = 50_000;
const TOP_TOPICS = 6;

/**
 * GET /api/insights?days=14: per day, posts, active members (who posted, reacted or reposted),
 * DVM job requests (kinds 5000-5999), and the village's top hashtags day by day. Public kinds
 * only: private kinds never enter a chart.
 */
export function insightsEndpoint(services: RelayServices): Endpoint {
  return {
    method: 'GET',
    path: 'insights',
    role: 'moderator',
    handle({ query }) {
      const days = Number(query.get('days') || '14');
      if (!Number.isInteger(days) || days < 1 || days > 90) throw invalid('days must be a whole number from 1 to 90');
      const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
      const since = today - (days - 1) * DAY;
      const index = (t: number) => Math.floor((t - since) / DAY);
      const series = () => new Array<number>(days).fill(0);
      const posts = series();
      const active = Array.from({ length: days }, () => new Set<string>());
      const tagDays = new Map<string, number[]>();
      const engaged = services.query([{ kinds: [KIND_NOTE, KIND_REACTION, KIND_REPOST], since, limit: CAP }]);
      for (const e of engaged) {
        const i = index(e.created_at);
        if (i < 0 || i >= days) continue;
        active[i]!.add(e.pubkey);
        if (e.kind !== KIND_NOTE) continue;
        posts[i]!++;
        for (const t of new Set(e.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]!.toLowerCase()))) {
          const row = tagDays.get(t) ?? series();
          row[i]!++;
          tagDays.set(t, row);
        }
      }
      const requests = series();
      const kinds = Array.from({ length: 1000 }, (_, k) => 5000 + k);
      for (const e of services.query([{ kinds, since, limit: CAP }])) {
        const i = index(e.created_at);
        if (i >= 0 && i < days) requests[i]!++;
      }
      const total = (row: number[]) => row.reduce((a, b) => a + b, 0);
      const topics = [...tagDays].sort((a, b) => total(b[1]) - total(a[1])).slice(0, TOP_TOPICS).map(([topic, counts]) => ({ topic, counts }));
      return {
        days: Array.from({ length: days }, (_, i) => since + i * DAY),
        posts,
        activeMembers: active.map((s) => s.size),
        dvmRequests: requests,
        topics,
        capped: engaged.length >= CAP,
      };
    },
  };
}
