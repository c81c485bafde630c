import type { Logger } from '../log.ts';
import type { Session } from '../protocol/session.ts';
import type { Socket } from './socket.ts';
import type { HttpHandler } from './http.ts';

/** What a transport needs of the relay: admit, open, feed and close sessions. */
export interface TransportHost {
  readonly log: Logger;
  /** The client's address from the socket's and the forwarded headers the relay trusts. */
  clientIp(socketIp: string, header: (lowercaseName: string) => string | undefined): string;
  /** The connection-stage policy: a refusal reason, or undefined to admit. */
  admit(ip: string, userAgent: string | undefined): Promise<string | undefined>;
  open(socket: Socket, ip: string, userAgent?: string): Session;
  message(s: Session, text: string): void;
  close(s: Session): void;
}

export interface TransportOptions {
  host: string;
  port: number;
  relay: TransportHost;
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
