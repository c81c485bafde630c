import type { Route } from '../server/routes.ts';
import { registry } from './registry.ts';

/** GET /metrics: the Prometheus text exposition of this process's metrics. */
export function metricsRoute(): Route {
  return (req) => {
    if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
    return registry.metrics().then((body) => ({ status: 200, headers: { 'Content-Type': registry.contentType }, body }));
  };
}
