import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nip19 } from 'nostr-tools';
import { Author, now } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { authHeader, httpUrl, post, rpc, sha256 } from './helpers.ts';

describe.each(['uws', 'ws'] as const)('NIP-86 authorization (NIP-98) over %s', (transport) => {
  const admin = new Author();
  const owner = new Author();
  const stranger = new Author();
  let t: TestRelay;
  let url: string;
  const body = JSON.stringify({ method: 'supportedmethods', params: [] });

  beforeAll(async () => {
    t = await startTestRelay({ relay: { transport, admins: [nip19.npubEncode(admin.pubkey)], pubkey: owner.pubkey } });
    url = httpUrl(t.url);
  });
  afterAll(() => t.destroy());

  it('answers an admin (npub in relay.admins) and the NIP-11 pubkey', async () => {
    for (const who of [admin, owner]) {
      const r = await rpc(url, who, 'supportedmethods');
      expect(r.status).toBe(200);
      expect(r.body.result).toEqual(expect.arrayContaining(['supportedmethods', 'banpubkey', 'changerelayname']));
    }
  });

  it('accepts the ws:// form of the relay URL in "u"', async () => {
    const r = await post(url, body, authHeader(admin, { u: `${t.url}/`, payload: sha256(body) }));
    expect(r.status).toBe(200);
  });

  it('refuses with 401 and an error: no header, bad signature, expiry, wrong URL, method, payload, kind, non-admin, replay', async () => {
    const ok = (o: Partial<Parameters<typeof authHeader>[1]> = {}) => authHeader(admin, { u: url, payload: sha256(body), ...o });
    const refusals: Array<[string, string | undefined, string?]> = [
      ['missing header', undefined],
      ['not a Nostr header', 'Bearer abc'],
      ['garbage token', 'Nostr !!!notbase64'],
      ['bad signature', ok({ mangle: (e) => (e.sig = (e.sig as string).replace(/^./, (c) => (c === '0' ? '1' : '0'))) })],
      ['id not matching', ok({ mangle: (e) => (e.content = 'changed') })],
      ['expired', ok({ created_at: now() - 120 })],
      ['from the future', ok({ created_at: now() + 120 })],
      ['other path', ok({ u: `${url}other` })],
      ['other host', ok({ u: 'http://relay.example/' })],
      ['query the request lacks', ok({ u: `${url}?x=1` })],
      ['wrong method', ok({ method: 'GET' })],
      ['wrong payload hash', ok({ payload: sha256('something else') })],
      ['missing payload', ok({ payload: null })],
      ['wrong kind', ok({ kind: 27236 })],
      ['not an admin', authHeader(stranger, { u: url, payload: sha256(body) })],
    ];
    for (const [why, header] of refusals) {
      const r = await post(url, body, header);
      expect(r.status, why).toBe(401);
      expect(r.body.error, why).toMatch(/^unauthorized: /);
      expect(r.body.result, why).toBeUndefined();
    }
  });

  it('requires "u" to carry the query of the request exactly', async () => {
    const withQuery = `${url}?probe=1`;
    expect((await post(withQuery, body, authHeader(admin, { u: url, payload: sha256(body) }))).status).toBe(401);
    expect((await post(withQuery, body, authHeader(admin, { u: withQuery, payload: sha256(body) }))).status).toBe(200);
  });

  it('refuses a replayed header', async () => {
    const header = authHeader(admin, { u: url, payload: sha256(body) });
    expect((await post(url, body, header)).status).toBe(200);
    const again = await post(url, body, header);
    expect(again.status).toBe(401);
    expect(again.body.error).toMatch(/already used/);
  });

  it('answers an unknown method and a malformed call with {"error"}', async () => {
    const r = await rpc(url, admin, 'grantcastle', ['x']);
    expect(r.status).toBe(200);
    expect(r.body.error).toMatch(/^invalid: unknown method/);
    const bad = JSON.stringify({ params: [] });
    const r2 = await post(url, bad, authHeader(admin, { u: url, payload: sha256(bad) }));
    expect(r2.body.error).toMatch(/^invalid: /);
  });

  it('lets a browser send the Authorization header (CORS preflight names it: "*" does not cover it)', async () => {
    const res = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: 'https://admin.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(/\s*,\s*/)).toContain('authorization');
  });

  it('leaves other POSTs alone (no NIP-86 content type)', async () => {
    const r = await post(url, body, undefined, 'application/json');
    expect(r.status).toBe(405);
  });
});
