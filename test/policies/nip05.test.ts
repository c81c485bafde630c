import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecretKey, getPublicKey } from 'nostr-tools';
import { make, signed, writeInput } from './helpers.ts';

/** A NIP-05 resolver on 127.0.0.1 serving /<domain>/.well-known/nostr.json. */
describe('nip05', () => {
  const alice = generateSecretKey();
  const names: Record<string, Record<string, string>> = { 'village.test': { alice: getPublicKey(alice) } };
  let server: Server;
  let base = '';
  let hits = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      const url = new URL(req.url!, 'http://x');
      const domain = url.pathname.split('/')[1]!;
      const name = url.searchParams.get('name')!;
      const pk = names[domain]?.[name];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ names: pk ? { [name]: pk } : {} }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const profile = (nip05: string, sk: Uint8Array) => signed({ kind: 0, content: JSON.stringify({ name: 'x', nip05 }) }, sk);

  // Kind 0 is exempt by default (a profile is how one gets verified); these tests judge profiles themselves.
  it('accepts a verified identity on an accepted domain, refuses others, and caches lookups', async () => {
    const p = await make('nip05', { domains: ['village.test'], exemptKinds: [], urlTemplate: `${base}/{domain}/.well-known/nostr.json?name={name}` });
    expect((await p.write!(writeInput(profile('alice@village.test', alice)))).action).toBe('accept');
    expect(await p.write!(writeInput(profile('alice@elsewhere.test', alice)))).toMatchObject({
      action: 'reject',
      reason: 'restricted: NIP-05 domain elsewhere.test is not accepted here',
      rule: 'identity',
    });
    const mallory = generateSecretKey();
    expect(await p.write!(writeInput(profile('alice@village.test', mallory)))).toMatchObject({ reason: 'restricted: NIP-05 identity alice@village.test does not verify' });
    const before = hits;
    expect((await p.write!(writeInput(profile('alice@village.test', alice)))).action).toBe('accept');
    expect(hits).toBe(before);
  });

  it('needs a profile for other kinds (no relay here, so no stored profile)', async () => {
    const p = await make('nip05', { urlTemplate: `${base}/{domain}/.well-known/nostr.json?name={name}`, exemptKinds: [] });
    expect(await p.write!(writeInput(signed({ kind: 1 }, alice)))).toMatchObject({ reason: 'restricted: a verified NIP-05 identity is required to post here' });
  });

  it('counts an unreachable resolver as unverified', async () => {
    const p = await make('nip05', { exemptKinds: [], urlTemplate: 'http://127.0.0.1:1/{domain}?name={name}' });
    expect((await p.write!(writeInput(profile('alice@village.test', alice)))).action).toBe('reject');
  });
});
