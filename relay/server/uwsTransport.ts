import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type * as UWS from 'uWebSockets.js';
import type { Session } from '../protocol/session.ts';
import { MAX_HTTP_BODY, STATUS_TEXT, type HttpRequest, type HttpResponse } from './http.ts';
import { NOT_UTF8, type Transport, type TransportOptions } from './transport.ts';
import { normaliseAddress } from './addresses.ts';
import { refuseFrame } from '../protocol/dispatch.ts';

type UwsModule = typeof UWS;

/**
 * Loads uWebSockets.js if its native binary works here. `uWebSockets.js` (Node 20/22/24/25) is
 * built on Ubuntu 24.04 and needs glibc 2.38; `uWebSockets.js-legacy` has Node 20 binaries (ABI
 * 115) for older glibc (Debian 12, Ubuntu 22.04) and silently falls back to a slow JavaScript
 * imitation, so "native code" is checked too. See README "Requirements".
 */
export function loadUws(): { uws?: UwsModule; reason?: string } {
  const reasons: string[] = [];
  const names = ['uWebSockets.js', ...(process.versions.modules === '115' ? ['uWebSockets.js-legacy'] : [])];
  for (const name of names) {
    try {
      const uws = createRequire(import.meta.url)(name) as UwsModule;
      if (String(uws.App).includes('[native code]')) return { uws };
      reasons.push(`${name} loaded without its native binary`);
    } catch (err) {
      reasons.push(`${name} failed to load: ${(err as Error).message.split('\n').filter(Boolean).pop()}`);
    }
  }
  return { reason: reasons.join('; ') };
}

const text = (ab: ArrayBuffer): string => Buffer.from(ab).toString();

interface UserData {
  ip: string;
  userAgent?: string;
  session?: Session;
}

export function startUws(uws: UwsModule, opts: TransportOptions): Promise<Transport> {
  const { relay } = opts;
  const sockets = new Set<UWS.WebSocket<UserData>>();
  const app = uws.App();

  app.ws<UserData>('/', {
    maxPayloadLength: opts.maxPayloadBytes,
    maxBackpressure: opts.maxBackpressureBytes,
    closeOnBackpressureLimit: true,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      const ip = relay.clientIp(text(res.getRemoteAddressAsText()), (name) => req.getHeader(name) || undefined);
      const userAgent = req.getHeader('user-agent') || undefined;
      const key = req.getHeader('sec-websocket-key');
      const protocol = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      let aborted = false;
      res.onAborted(() => (aborted = true));
      void relay.admit(ip, userAgent).then((refusal) => {
        if (aborted) return;
        res.cork(() => {
          if (refusal) res.writeStatus('403 Forbidden').end(refusal);
          else res.upgrade<UserData>({ ip, userAgent }, key, protocol, extensions, context);
        });
      });
    },
    open: (ws) => {
      sockets.add(ws);
      const data = ws.getUserData();
      data.session = relay.open(
        {
          send: (d) => void ws.send(d, false),
          bufferedAmount: () => ws.getBufferedAmount(),
          cork: (fn) => void ws.cork(fn),
          close: (code, reason) => ws.end(code, reason),
        },
        data.ip,
        data.userAgent,
      );
    },
    message: (ws, message, isBinary) => {
      const s = ws.getUserData().session!;
      // uWS itself drops a text frame that is not UTF-8 (code 1006, no hook to answer it first);
      // binary frames arrive unchecked, so they are checked here.
      if (isBinary && !isUtf8(message)) return refuseFrame(s, NOT_UTF8);
      relay.message(s, text(message));
    },
    close: (ws) => {
      sockets.delete(ws);
      const s = ws.getUserData().session;
      if (s) relay.close(s);
    },
  });

  app.any('/*', (res, req) => {
    const method = req.getCaseSensitiveMethod().toUpperCase();
    const headers: Record<string, string> = {};
    req.forEach((k, v) => (headers[k] = v));
    const path = req.getUrl();
    const query = req.getQuery();
    const peer = normaliseAddress(text(res.getRemoteAddressAsText()));
    const ip = relay.clientIp(peer, (name) => req.getHeader(name) || undefined);
    let aborted = false;
    res.onAborted(() => (aborted = true));
    const chunks: Buffer[] = [];
    let size = 0;
    const respond = async (body: Buffer) => {
      const request: HttpRequest = { method, path, headers: { ...headers, ...(query ? { ':query': query } : {}) }, body, ip, peer };
      const out: HttpResponse = await Promise.resolve()
        .then(() => opts.http(request))
        .catch((err: unknown) => {
          relay.log.error({ err, path }, 'http handler failed');
          return { status: 500, body: 'internal error\n' };
        });
      if (aborted) return;
      res.cork(() => {
        res.writeStatus(`${out.status} ${STATUS_TEXT[out.status] ?? ''}`);
        for (const [k, v] of Object.entries(out.headers ?? {})) res.writeHeader(k, v);
        res.end(method === 'HEAD' ? '' : out.body);
      });
    };
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
      void respond(Buffer.alloc(0));
      return;
    }
    res.onData((chunk, last) => {
      size += chunk.byteLength;
      if (size > MAX_HTTP_BODY) {
        if (!aborted) res.cork(() => res.writeStatus('413 Payload Too Large').end('body too large\n', true));
        aborted = true;
        return;
      }
      chunks.push(Buffer.from(chunk.slice(0)));
      if (last && !aborted) void respond(Buffer.concat(chunks));
    });
  });

  // Exclusive: by default uWS sets SO_REUSEPORT, and a second relay on the port would then share
  // it, the kernel splitting clients between two relays. The native listen takes (host, port,
  // options, cb); the typings know only (port, options, cb).
  const listen = app.listen.bind(app) as unknown as (host: string, port: number, options: number, cb: (s: UWS.us_listen_socket | false) => void) => void;
  const exclusive = (uws as unknown as { LIBUS_LISTEN_EXCLUSIVE_PORT: number }).LIBUS_LISTEN_EXCLUSIVE_PORT;
  return new Promise((resolve, reject) => {
    listen(opts.host, opts.port, exclusive, (listenSocket) => {
      if (!listenSocket) return reject(new Error(`cannot listen on ${opts.host}:${opts.port} (address in use or not allowed)`));
      resolve({
        name: 'uws',
        port: uws.us_socket_local_port(listenSocket),
        async close() {
          uws.us_listen_socket_close(listenSocket);
          for (const ws of [...sockets]) ws.end(1001, 'relay shutting down');
          app.close();
        },
      });
    });
  });
}
