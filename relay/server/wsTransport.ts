import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_HTTP_BODY } from './http.ts';
import { NOT_UTF8, type Transport, type TransportHost, type TransportOptions } from './transport.ts';
import { normaliseAddress } from './addresses.ts';
import { CLOSE_INVALID_DATA, refuseFrame } from '../protocol/dispatch.ts';

/** The socket's peer and the client's address (they differ behind a trusted proxy). */
function addressesOf(relay: TransportHost, req: IncomingMessage): { peer: string; ip: string } {
  const peer = normaliseAddress(req.socket.remoteAddress ?? '');
  const ip = relay.clientIp(peer, (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  });
  return { peer, ip };
}

/** The fallback transport: Node's http server with the ws package, same routes and protocol. */
export function startWs(opts: TransportOptions): Promise<Transport> {
  const { relay } = opts;
  // UTF-8 is checked here, not by ws, so that the client is told before the connection closes.
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes, perMessageDeflate: false, skipUTF8Validation: true });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_HTTP_BODY) {
        res.writeHead(413).end('body too large\n');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const [path, query] = (req.url ?? '/').split('?', 2) as [string, string | undefined];
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      if (query) headers[':query'] = query;
      void Promise.resolve(opts.http({ method: req.method ?? 'GET', path, headers, body: Buffer.concat(chunks), ...addressesOf(relay, req) }))
        .catch(() => ({ status: 500, headers: {}, body: 'internal error\n' }))
        .then((out) => {
          res.writeHead(out.status, out.headers);
          res.end(req.method === 'HEAD' ? undefined : out.body);
        });
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const { ip } = addressesOf(relay, req);
    const userAgent = req.headers['user-agent'];
    void relay.admit(ip, userAgent).then((refusal) => {
      if (refusal) {
        socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${refusal}`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, ip, userAgent));
    });
  });

  const attach = (ws: WebSocket, ip: string, userAgent: string | undefined): void => {
    let corked = false;
    const session = relay.open(
      {
        send: (d) => ws.send(d, { binary: false }),
        bufferedAmount: () => ws.bufferedAmount,
        cork: (fn) => {
          // ws has no cork; the underlying TCP socket does.
          const raw = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
          if (!raw || corked) return fn();
          corked = true;
          raw.cork();
          try {
            fn();
          } finally {
            corked = false;
            raw.uncork();
          }
        },
        // 1008 drops slow consumers and floods: a close handshake would queue behind the very buffer
        // that is over the limit and hold the connection for ws's 30 s close timeout, so cut it at
        // once. Other codes close after the frames already sent (the NOTICE that explains them).
        close: (code, reason) => (code === 1008 ? ws.terminate() : ws.close(code, reason)),
      },
      ip,
      userAgent,
    );
    ws.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      // A text frame that is not UTF-8 breaks the WebSocket protocol (1007); a binary one is only refused.
      if (!isUtf8(bytes)) return refuseFrame(session, NOT_UTF8, { close: isBinary ? undefined : CLOSE_INVALID_DATA });
      relay.message(session, bytes.toString());
    });
    ws.on('close', () => relay.close(session));
    ws.on('error', () => ws.terminate());
    // Drop clients that vanish without closing (as uWS's idle timeout does).
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 60_000);
    ping.unref();
    ws.on('close', () => clearInterval(ping));
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      const address = server.address();
      resolve({
        name: 'ws',
        port: typeof address === 'object' && address ? address.port : opts.port,
        close: () =>
          new Promise<void>((done) => {
            for (const ws of wss.clients) ws.close(1001, 'relay shutting down');
            // A client that does not answer the close handshake (not reading, or gone) would hold the
            // stop for ws's 30 s close timeout; cut it after a short grace, as uWS does at once.
            const grace = setTimeout(() => {
              for (const ws of wss.clients) ws.terminate();
            }, 1000);
            wss.close();
            server.close(() => {
              clearTimeout(grace);
              done();
            });
            server.closeAllConnections();
          }),
      });
    });
  });
}
