import type { HttpResponse } from '../server/http.ts';

/** NIP-86's content type, for requests and answers. */
export const RPC_CONTENT_TYPE = 'application/nostr+json+rpc';

export interface RpcRequest {
  method: string;
  params: unknown[];
}

/** A call the relay understood but refuses (bad params, unknown method): answered as {"error"}. */
export class RpcError extends Error {}

export const isRpcRequest = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase() === RPC_CONTENT_TYPE;

/** {"method": "...", "params": [...]}; params may be left out. */
export function parseRpc(body: Buffer): RpcRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RpcError('invalid: the body is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RpcError('invalid: the body must be a JSON object');
  const { method, params = [] } = raw as { method?: unknown; params?: unknown };
  if (typeof method !== 'string' || method === '') throw new RpcError('invalid: "method" must be a non-empty string');
  if (!Array.isArray(params)) throw new RpcError('invalid: "params" must be an array');
  return { method, params };
}

const reply = (status: number, body: object): HttpResponse => ({
  status,
  headers: { 'Content-Type': RPC_CONTENT_TYPE },
  body: JSON.stringify(body),
});

export const rpcResult = (result: unknown): HttpResponse => reply(200, { result });
export const rpcError = (message: string, status = 200): HttpResponse => reply(status, { error: message });
