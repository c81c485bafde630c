import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Author } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { authHeader, post, rpc, sha256, type RpcReply } from './helpers.ts';

const body = JSON.stringify({ method: 'supportedmethods', params: [] });

/** A POST with a Host header of the caller's choosing (fetch will not send one). */
function postWithHost(port: number, host: string, authorization: string): Promise<RpcReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { Host: host, 'Content-Type': 'application/nostr+json+rpc', Authorization: authorization } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as RpcReply['body'] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('NIP-98 tokens are bound to relay.url and used once, across restarts', () => {
  const admin = new Author();
  const relays: TestRelay[] = [];
  afterEach(async () => {
    for (const r of relays.splice(0)) await r.destroy();
  });
  const start = async (overrides: Record<string, Record<string, unknown>>) => {
    const r = await startTestRelay(overrides);
    relays.push(r);
    return r;
  };

  it('accepts a token naming relay.url, whatever Host the request carries, and refuses one naming another relay even with a matching Host', async () => {
    const t = await start({ relay: { url: 'wss://village.example', admins: [admin.pubkey] } });
    const local = `http://127.0.0.1:${t.port}/`;
    // The relay's own URL, in its https or wss form; reached here directly on its port.
    for (const u of ['https://village.example/', 'wss://village.example', 'https://village.example:443']) {
      expect((await post(local, body, authHeader(admin, { u, payload: sha256(body) }))).status, u).toBe(200);
    }
    // A token an admin signed for another relay, replayed here with the Host header forged to match it.
    const elsewhere = authHeader(admin, { u: 'https://other-relay.example/', payload: sha256(body) });
    const forged = await postWithHost(t.port, 'other-relay.example', elsewhere);
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatch(/^unauthorized: .*"u" tag/);
    // The request's own address is not the relay's URL either, nor a downgraded scheme, nor another path.
    for (const u of [local, 'http://village.example/', 'https://village.example/admin', 'https://village.example:8443/']) {
      const r = await post(local, body, authHeader(admin, { u, payload: sha256(body) }));
      expect(r.status, u).toBe(401);
    }
  });

  it('without relay.url, binds tokens to ws://host:port (the address the relay is bound to)', async () => {
    const t = await start({ relay: { admins: [admin.pubkey] } });
    const bound = `http://127.0.0.1:${t.port}/`;
    expect((await rpc(bound, admin, 'supportedmethods')).status).toBe(200);
    const viaLocalhost = await postWithHost(t.port, `localhost:${t.port}`, authHeader(admin, { u: `http://localhost:${t.port}/`, payload: sha256(body) }));
    expect(viaLocalhost.status).toBe(401);
  });

  it('refuses a used token after a restart', async () => {
    const first = await start({ relay: { url: 'wss://village.example', admins: [admin.pubkey] } });
    const header = authHeader(admin, { u: 'https://village.example/', payload: sha256(body) });
    expect((await post(`http://127.0.0.1:${first.port}/`, body, header)).status).toBe(200);
    expect((await post(`http://127.0.0.1:${first.port}/`, body, header)).body.error).toMatch(/already used/);
    await first.close();
    const second = await start({ relay: { url: 'wss://village.example', admins: [admin.pubkey] }, storage: { dataDir: first.dataDir } });
    const again = await post(`http://127.0.0.1:${second.port}/`, body, header);
    expect(again.status).toBe(401);
    expect(again.body.error).toMatch(/already used/);
    // A fresh token still works.
    expect((await post(`http://127.0.0.1:${second.port}/`, body, authHeader(admin, { u: 'https://village.example/', payload: sha256(body) }))).status).toBe(200);
  });

  it('is off, and says so, when no admin is configured', async () => {
    const t = await start({});
    const r = await rpc(`http://127.0.0.1:${t.port}/`, admin, 'supportedmethods');
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/^restricted: the management API is off/);
  });
});
