import { refusal } from '../policy.ts';
import type { Relay } from '../relay.ts';
import type { HttpHandler } from './http.ts';

export interface TransportOptions {
  host: string;
  port: number;
  relay: Relay;
  http: HttpHandler;
  /** Frames larger than this are cut off by the transport itself (the relay answers up to maxMessageBytes). */
  maxPayloadBytes: number;
  /** Outbound bytes a socket may queue before it is closed as a slow consumer. */
  maxBackpressureBytes: number;
}

export interface Transport {
  readonly name: 'uws' | 'ws';
  readonly port: number;
  /** Stop listening and close every connection. */
  close(): Promise<void>;
}

/** The frame size the transport accepts: room over the relay's limit so oversize frames get a clear answer. */
export const transportPayloadLimit = (maxMessageBytes: number): number => Math.max(maxMessageBytes * 4, 1024 * 1024);

/**
 * The client's address: the socket's, or behind a proxy the first entry of the configured
 * header (clients cannot forge it when the proxy overwrites it, as nginx's $remote_addr does).
 */
export function clientIp(socketIp: string, headerValue: string | undefined): string {
  const forwarded = headerValue?.split(',')[0]?.trim();
  return forwarded || socketIp;
}

/** Runs the connection-stage policy; returns a refusal reason, or undefined to admit. */
export async function admitConnection(relay: Relay, ip: string, userAgent: string | undefined): Promise<string | undefined> {
  try {
    const d = await relay.policies.connection({ ip, userAgent });
    return refusal(d);
  } catch (err) {
    relay.log.error({ err, ip }, 'connection policy failed; admitting');
    return undefined;
  }
}
