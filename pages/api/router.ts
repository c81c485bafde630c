import type { Relay } from '../../relay/relay.ts';
import type { Route } from '../../relay/server/routes.ts';
import type { HttpRequest, HttpResponse } from '../../relay/server/http.ts';
import { HttpAuth } from '../../relay/management/nip98.ts';
import { UsedTokens } from '../../relay/management/usedTokens.ts';
import { serialise } from '../../relay/nostr/canonical.ts';
import { VALID } from '../../relay/verify/worker.ts';
import type { Endpoint } from './endpoint.ts';
import { ApiError, json } from './respond.ts';
import { rolesOf } from './roles.ts';

export const API_PREFIX = '/api/';

const ROLE_REFUSAL = {
  admin: 'restricted: only an admin of this relay (relay.admins) may do this',
  moderator: 'restricted: only a moderator (moderation.moderators) or an admin may do this',
  member: 'restricted: only a member of this village (policies.members and those they trust) may do this',
  signed: 'unauthorized: sign the call',
} as const;

function parseBody(req: HttpRequest): Record<string, unknown> {
  if (req.method !== 'POST') return {};
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid: the body must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'invalid: the body must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * The pages' API under /api/: every call NIP-98 signed, its `u` naming this endpoint's URL on
 * the relay's own address (relay.url) and, for a POST, the body's hash; tokens are single use
 * (the NIP-86 table of used tokens). 401 without a good token, 403 without the role.
 */
export function apiRoute(relay: Relay, endpoints: readonly Endpoint[], trusted: (pubkey: string) => boolean): Route {
  const used = new UsedTokens(relay.store.env);
  const verify = async (e: Parameters<typeof serialise>[0]) => (await relay.verify.check(e, serialise(e).hashInput)) === VALID;
  const auth = {
    GET: new HttpAuth({ verify, relayUrl: () => relay.url, used, requirePayload: false }),
    POST: new HttpAuth({ verify, relayUrl: () => relay.url, used, requirePayload: true }),
  };
  const log = relay.log.child({ module: 'pages' });

  const handle = async (req: HttpRequest): Promise<HttpResponse> => {
    const at = endpoints.filter((e) => API_PREFIX + e.path === req.path);
    if (at.length === 0) return json(404, { error: `invalid: no API endpoint ${req.path}` });
    const endpoint = at.find((e) => e.method === req.method);
    if (!endpoint) return json(405, { error: `invalid: ${req.path} takes ${at.map((e) => e.method).join(' or ')}` });
    const query = req.headers[':query'] ?? '';
    const who = await auth[endpoint.method].check(req.headers.authorization, { method: req.method, query, path: req.path, body: req.body });
    if (!who.ok) return json(401, { error: `unauthorized: ${who.reason}` });
    const roles = rolesOf(relay.config, who.pubkey, trusted);
    if (!roles.has(endpoint.role)) {
      log.warn({ pubkey: who.pubkey, path: req.path }, 'pages: call refused, role missing');
      return json(403, { error: ROLE_REFUSAL[endpoint.role] });
    }
    try {
      const result = await endpoint.handle({ pubkey: who.pubkey, roles, query: new URLSearchParams(query), body: parseBody(req) });
      if (endpoint.method === 'POST') log.info({ pubkey: who.pubkey, path: req.path }, 'pages: call');
      return json(200, result ?? {});
    } catch (err) {
      if (err instanceof ApiError) return json(err.status, { error: err.message });
      log.error({ err: (err as Error).message, path: req.path }, 'pages: call failed');
      return json(500, { error: 'error: internal error' });
    }
  };
  return (req) => (req.path.startsWith(API_PREFIX) ? handle(req) : undefined);
}
