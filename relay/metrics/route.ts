import type { Config } from '../../config/schema.ts';
import type { HttpRequest, HttpResponse } from '../server/http.ts';
import type { Route } from '../server/routes.ts';
import { addressList } from '../server/addresses.ts';
import { FORWARDING_HEADERS } from '../server/transport.ts';
import { registry } from './registry.ts';

const forbidden = (why: string): HttpResponse => ({ status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `forbidden: ${why}\n` });

/** Why this request may not read /metrics, or undefined when it may. */
function refusal(config: Config['relay'], req: HttpRequest): string | undefined {
  const allowed = addressList(config.metricsAllow);
  if (allowed.empty) return '/metrics is switched off (relay.metricsAllow is empty)';
  // Through a proxy whose header the relay did not read, the socket's address is the proxy's: the
  // client is unknown, and a loopback proxy must not make the whole world loopback.
  if (req.ip === req.peer && FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)) {
    return 'this request came through a proxy and its client address is unknown (relay.realIpHeader, relay.trustedProxies)';
  }
  if (!allowed.has(req.ip)) return `/metrics is served only to relay.metricsAllow, not to ${req.ip}`;
  return undefined;
}

/** GET /metrics: the Prometheus text exposition of this process's metrics, to the addresses in relay.metricsAllow. */
export function metricsRoute(relay: { readonly config: Config }): Route {
  return (req) => {
    if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
    const why = refusal(relay.config.relay, req);
    if (why) return forbidden(why);
    return registry.metrics().then((body) => ({ status: 200, headers: { 'Content-Type': registry.contentType }, body }));
  };
}
