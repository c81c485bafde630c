/** A transport-neutral HTTP exchange, so uWS and the ws fallback serve the same routes. */
export interface HttpRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
  /** The client's address (relay.realIpHeader from relay.trustedProxies, else the socket's). */
  ip: string;
  /** The socket's peer: the client, or the proxy in front of it. */
  peer: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export type HttpHandler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
};

/** NIP-11: relays MUST accept CORS. Authorization is never covered by '*' (NIP-86 from a browser needs it named). */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, *',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

/** Largest HTTP body read (NIP-86 calls are small). */
export const MAX_HTTP_BODY = 1024 * 1024;
