import type { Relay } from '../relay.ts';
import { relayInformation } from '../nip11.ts';
import { CORS_HEADERS, type HttpHandler, type HttpRequest, type HttpResponse } from './http.ts';

export type Route = (req: HttpRequest) => HttpResponse | Promise<HttpResponse> | undefined;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function landingPage(relay: Relay): string {
  const { name, description } = relay.config.relay;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:.1rem .3rem}</style>
</head><body>
<h1>${escapeHtml(name)}</h1>
<p>${escapeHtml(description)}</p>
<p>This is a Nostr relay. Add <code>${escapeHtml(relay.url)}</code> to your Nostr client.</p>
<p>Relay information (NIP-11): request this address with <code>Accept: application/nostr+json</code>. Health: <a href="/health">/health</a>.</p>
<p>Members: <a href="/me">your page</a> (feed settings, cases, jury duty, consent). Moderators and admins: <a href="/admin">the console</a>. Both sign in with a Nostr browser signer (NIP-07).</p>
<p>Powered by Hamlet.</p>
</body></html>`;
}

/** NIP-11 on the WebSocket URL, /health, and a small landing page; extra routes come first. */
export function createHttpHandler(relay: Relay, extraRoutes: Route[] = []): HttpHandler {
  return async (req) => {
    const res = await answer(relay, req, extraRoutes);
    return { ...res, headers: { ...CORS_HEADERS, ...res.headers } };
  };
}

async function answer(relay: Relay, req: HttpRequest, extraRoutes: Route[]): Promise<HttpResponse> {
  if (req.method === 'OPTIONS') return { status: 204, body: '' };
  for (const route of extraRoutes) {
    const res = await route(req);
    if (res) return res;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, body: 'method not allowed\n' };
  if (req.path === '/health') {
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'ok', connections: relay.sessions.size, subscriptions: relay.monitor.size }),
    };
  }
  if (req.path === '/' || req.path === '') {
    if ((req.headers.accept ?? '').toLowerCase().includes('application/nostr+json')) {
      return { status: 200, headers: { 'Content-Type': 'application/nostr+json' }, body: JSON.stringify(relayInformation(relay.config, { policies: relay.policies, self: relay.self })) };
    }
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: landingPage(relay) };
  }
  return { status: 404, body: 'not found\n' };
}
