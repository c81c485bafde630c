import { createServer, type IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_HTTP_BODY } from './http.ts';
import type { Transport, TransportHost, TransportOptions } from './transport.ts';

function ipOf(relay: TransportHost, req: IncomingMessage): string {
  return relay.clientIp((req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''), (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  });
}

/** The fallback transport: Node's http server with the ws package, same routes and protocol. */
export function startWs(opts: TransportOptions): Promise<Transport> {
  const { relay } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes, perMessageDeflate: false });

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
      void Promise.resolve(opts.http({ method: req.method ?? 'GET', path, headers, body: Buffer.concat(chunks) }))
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
    const ip = ipOf(relay, req);
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
        // Used to drop slow consumers: a close handshake would queue behind the very buffer that is
        // over the limit and hold the connection open for ws's 30 s close timeout, so cut it at once.
        close: () => ws.terminate(),
      },
      ip,
      userAgent,
    );
    ws.on('message', (data, isBinary) => relay.message(session, isBinary ? Buffer.from(data as Buffer).toString() : data.toString()));
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
