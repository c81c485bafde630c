import { createServer } from 'node:net';
import { StartError } from './startError.ts';

const REASONS: Record<string, (host: string, port: number) => string> = {
  EADDRINUSE: (_host, port) => `port ${port} is in use (another relay?)`,
  EACCES: (_host, port) => `port ${port} needs privileges to listen on (use a port above 1023, or grant CAP_NET_BIND_SERVICE)`,
  EADDRNOTAVAIL: (host) => `cannot listen on ${host}: not an address of this machine (relay.host)`,
  ENOTFOUND: (host) => `cannot listen on ${host}: unknown host (relay.host)`,
};

/** What listening on host:port with a plain socket says now: an errno code, or undefined when it works. */
function probe(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'EUNKNOWN'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * Turns a transport's failure to listen into a StartError that says why. The ws transport gives
 * an errno; uWebSockets.js only says it failed, so the same address is tried with a plain socket.
 * An error with no known cause is returned as it was.
 */
export async function explainListenFailure(err: unknown, host: string, port: number): Promise<unknown> {
  const code = (err as NodeJS.ErrnoException).code ?? (port === 0 ? undefined : await probe(host, port));
  const reason = code ? REASONS[code] : undefined;
  return reason ? new StartError(reason(host, port)) : err;
}
