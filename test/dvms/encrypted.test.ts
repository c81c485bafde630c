import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import type { TestRelay } from '../helpers/relay.ts';
import { Author, dvmPubkey, now, RawClient, runJob, startDvmRelay, status } from './helpers.ts';

let relay: TestRelay;
let client: RawClient;
const alice = new Author();
const bob = new Author();

beforeAll(async () => {
  relay = await startDvmRelay();
  client = await RawClient.open(relay.url);
  await client.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey]] }));
  for (let i = 0; i < 5; i++) await client.publish(bob.sign({ content: `secret garden note ${i}`, created_at: now() - 100 + i }));
});

afterAll(async () => {
  client.close();
  await relay.destroy();
});

const schemes = {
  nip04: {
    encrypt: (a: Author, to: string, text: string) => nip04.encrypt(a.sk, to, text),
    decrypt: (a: Author, from: string, data: string) => nip04.decrypt(a.sk, from, data),
  },
  nip44: {
    encrypt: (a: Author, to: string, text: string) => nip44.v2.encrypt(text, nip44.v2.utils.getConversationKey(a.sk, to)),
    decrypt: (a: Author, from: string, data: string) => nip44.v2.decrypt(data, nip44.v2.utils.getConversationKey(a.sk, from)),
  },
};

describe('encrypted job requests', () => {
  for (const [name, scheme] of Object.entries(schemes)) {
    it(`reads a ${name} request and answers in ${name}, with no clear i or params`, async () => {
      const dvm = dvmPubkey(relay, 'feed-following');
      const hidden = [['param', 'max_results', '3'], ['param', 'user', alice.pubkey]];
      const req = alice.sign({ kind: 5300, content: scheme.encrypt(alice, dvm, JSON.stringify(hidden)), tags: [['p', dvm], ['encrypted']] });
      const { result, feedback, error } = await runJob(client, req);
      expect(error).toBeUndefined();
      expect(feedback.map((f) => status(f)[1])).toContain('processing');
      expect(result!.tags).toContainEqual(['encrypted']);
      expect(result!.tags.some((t) => t[0] === 'i' || t[0] === 'param')).toBe(false);
      if (name === 'nip04') expect(result!.content).toContain('?iv=');
      else expect(result!.content).not.toContain('?iv=');
      const list = JSON.parse(scheme.decrypt(alice, dvm, result!.content)) as string[][];
      expect(list).toHaveLength(3);
      expect(list.every((t) => t[0] === 'e' && t[3] === 'followed')).toBe(true);
    });
  }

  it('sends error feedback when the content cannot be decrypted, and ignores one encrypted to someone else', async () => {
    const dvm = dvmPubkey(relay, 'feed-for-you');
    const bad = alice.sign({ kind: 5300, content: 'bm90IGVuY3J5cHRlZA==?iv=AAAAAAAAAAAAAAAAAAAAAA==', tags: [['p', dvm], ['encrypted']] });
    const { error } = await runJob(client, bad);
    expect(status(error!)[2]).toMatch(/decrypt/);
    const stranger = new Author();
    const elsewhere = alice.sign({ kind: 5300, content: schemes.nip44.encrypt(alice, stranger.pubkey, '[]'), tags: [['p', stranger.pubkey], ['encrypted']] });
    await expect(runJob(client, elsewhere, 1500)).rejects.toThrow(/no matching frame/);
  });

  it('keeps the error reason of an encrypted job inside the encrypted content', async () => {
    const dvm = dvmPubkey(relay, 'feed-for-you');
    const req = alice.sign({ kind: 5300, content: schemes.nip44.encrypt(alice, dvm, JSON.stringify([['param', 'max_results', 'many']])), tags: [['p', dvm], ['encrypted']] });
    const { error } = await runJob(client, req);
    expect(status(error!)).toEqual(['status', 'error']);
    expect(schemes.nip44.decrypt(alice, dvm, error!.content)).toContain('max_results');
  });
});
