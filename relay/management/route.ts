import { parsePubkey } from '../nostr/keys.ts';
import type { Relay } from '../relay.ts';
import type { Route } from '../server/routes.ts';
import type { HttpRequest, HttpResponse } from '../server/http.ts';
import { serialise } from '../nostr/canonical.ts';
import { VALID } from '../verify/worker.ts';
import { HttpAuth } from './nip98.ts';
import { UsedTokens } from './usedTokens.ts';
import { managementMethods, type Method } from './methods.ts';
import { isRpcRequest, parseRpc, rpcError, rpcResult, RpcError } from './rpc.ts';
import type { RelaySettings } from './settings.ts';

/** relay.admins plus the NIP-11 pubkey, read per request so a hot reload of the list applies. */
export function isAdmin(relay: Relay, pubkey: string): boolean {
  const { admins, pubkey: owner } = relay.config.relay;
  return pubkey === owner || admins.some((a) => parsePubkey(a) === pubkey);
}

/** No admin configured: nobody could be answered, so nothing is checked either. */
const hasAdmins = (relay: Relay): boolean => relay.config.relay.admins.length > 0 || relay.config.relay.pubkey !== '';

/**
 * NIP-86 on the relay's URL: POST with Content-Type application/nostr+json+rpc and a NIP-98
 * Authorization header (payload hash required, `u` naming relay.url) from an admin; anything less
 * is 401, and without any admin configured the API is off (403).
 */
export function managementRoute(relay: Relay, settings: RelaySettings, extra?: ReadonlyMap<string, Method>): Route {
  const methods = managementMethods({ relay, settings, extra });
  const auth = new HttpAuth({
    verify: async (e) => (await relay.verify.check(e, serialise(e).hashInput)) === VALID,
    relayUrl: () => relay.url,
    used: new UsedTokens(relay.store.env),
    requirePayload: true,
  });
  const log = relay.log.child({ module: 'nip86' });

  const handle = async (req: HttpRequest): Promise<HttpResponse> => {
    if (!hasAdmins(relay)) return rpcError('restricted: the management API is off: no relay.admins or relay.pubkey is configured', 403);
    const who = await auth.check(req.headers.authorization, {
      method: req.method,
      query: req.headers[':query'] ?? '',
      body: req.body,
    });
    if (!who.ok) {
      log.warn({ reason: who.reason }, 'management call refused');
      return rpcError(`unauthorized: ${who.reason}`, 401);
    }
    if (!isAdmin(relay, who.pubkey)) {
      log.warn({ pubkey: who.pubkey }, 'management call refused: not an admin');
      return rpcError('unauthorized: this pubkey is not an admin of this relay', 401);
    }
    try {
      const call = parseRpc(req.body);
      const method = methods.get(call.method);
      if (!method) return rpcError(`invalid: unknown method ${JSON.stringify(call.method.slice(0, 64))}`);
      const result = await method(call.params, who.pubkey);
      log.info({ admin: who.pubkey, method: call.method, params: call.params }, 'management call');
      return rpcResult(result);
    } catch (err) {
      if (err instanceof RpcError) return rpcError(err.message);
      log.error({ err }, 'management call failed');
      return rpcError('error: internal error', 500);
    }
  };
  return (req) => {
    if (req.method !== 'POST' || (req.path !== '/' && req.path !== '') || !isRpcRequest(req.headers['content-type'])) return undefined;
    return handle(req);
  };
}
