import type { Route } from '../relay/server/routes.ts';
import { serveAsset } from './assets.ts';
import { caseEndpoints } from './api/cases.ts';
import { decisionsEndpoint } from './api/decisions.ts';
import type { Endpoint } from './api/endpoint.ts';
import { healthEndpoint } from './api/health.ts';
import { IngestRate } from './api/ingestRate.ts';
import { insightsEndpoint } from './api/insights.ts';
import { meEndpoints } from './api/me.ts';
import { modelsEndpoint } from './api/models.ts';
import { rulebookEndpoints } from './api/rulebook.ts';
import { apiRoute } from './api/router.ts';
import { RulebookHistory } from './rulebookHistory.ts';
import type { PagesSources } from './sources.ts';
import type { RuleRef } from '../moderation/rulebook.ts';

export type { PagesSources, RunningSummary } from './sources.ts';
export { pagesBundle } from './assets.ts';

export interface Pages {
  routes: Route[];
  close(): void;
}

/**
 * The village in a browser: /admin (operators and moderators) and /me (members), their
 * bundles, and their NIP-98 signed API under /api/, all on the relay's own port.
 */
export function startPages(s: PagesSources & { rules: () => readonly RuleRef[] }): Pages {
  const ingest = new IngestRate();
  const endpoints: Endpoint[] = [
    healthEndpoint(s, ingest),
    ...meEndpoints(s.relay, s.moderation),
    ...(s.moderation ? caseEndpoints(s.relay, s.moderation) : []),
    ...(s.engine ? [decisionsEndpoint(s.engine)] : []),
    ...rulebookEndpoints(s.relay, new RulebookHistory(s.relay.store.env), s.rules),
    modelsEndpoint(s.relay, s.moderation),
    insightsEndpoint(s.services),
  ];
  return {
    routes: [apiRoute(s.relay, endpoints, (p) => s.engine?.trust.distance(p) !== undefined), (req) => serveAsset(req, s.relay.config.relay.name)],
    close: () => ingest.close(),
  };
}
