import { WebSocketServer, type WebSocket } from 'ws';
import { matchFilter, type Filter } from 'nostr-tools/filter';
import type { Event } from 'nostr-tools/pure';

/**
 * A tiny in-memory NIP-01 relay (no verification, no persistence) that the harness's own
 * smoke test drives, so the load generator can be checked without the real relay.
 * Run standalone: node --import tsx test/bench/util/miniRelay.ts [port]
 */
export async function startMiniRelay(port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const stored: Event[] = [];
  const subs = new Map<WebSocket, Map<string, Filter[]>>();
  wss.on('connection', (ws) => {
    const mine = new Map<string, Filter[]>();
    subs.set(ws, mine);
    ws.on('close', () => subs.delete(ws));
    ws.on('message', (data) => {
      let msg: unknown[];
      try { msg = JSON.parse(String(data)) as unknown[]; } catch { return; }
      if (msg[0] === 'EVENT') {
        const ev = msg[1] as Event;
        stored.push(ev);
        ws.send(JSON.stringify(['OK', ev.id, true, '']));
        const json = JSON.stringify(ev);
        for (const [peer, peerSubs] of subs) {
          for (const [id, filters] of peerSubs) if (filters.some((f) => matchFilter(f, ev))) peer.send(`["EVENT",${JSON.stringify(id)},${json}]`);
        }
      } else if (msg[0] === 'REQ') {
        const id = String(msg[1]);
        const filters = msg.slice(2) as Filter[];
        const limit = Math.max(...filters.map((f) => f.limit ?? 500));
        const hits = stored.filter((e) => filters.some((f) => matchFilter(f, e))).sort((a, b) => b.created_at - a.created_at).slice(0, limit);
        for (const e of hits) ws.send(`["EVENT",${JSON.stringify(id)},${JSON.stringify(e)}]`);
        ws.send(JSON.stringify(['EOSE', id]));
        mine.set(id, filters);
      } else if (msg[0] === 'CLOSE') {
        mine.delete(String(msg[1]));
      }
    });
  });
  const addr = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${addr.port}`,
    close: () => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(() => r()); }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await startMiniRelay(Number(process.argv[2] ?? 0));
  console.log(`mini relay on ${r.url}`);
}
