import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nip19 } from 'nostr-tools';
import { afterEach, describe, expect, it } from 'vitest';
import { Author, now } from '../helpers/client.ts';
import { hamlet } from '../cli/helpers.ts';
import { readVersion } from './verify.ts';
import { consent, startVillage, tag, type Village } from './village.ts';

let v: Village | undefined;
let out: string | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('hamlet dataset export | which', () => {
  it('an operator exports beside the running relay, a member asks where their posts are, and a withdrawal makes a new major version', async () => {
    v = await startVillage({ relay: { url: 'wss://village.example' } });
    out = mkdtempSync(join(tmpdir(), 'hamlet-datasets-'));
    const [mo, lu] = [new Author(), new Author()];
    const t = now() - 500;
    await v.send(consent(mo, { 'train-ai': 'y' }, 'CC0-1.0', t));
    await v.send(consent(lu, { 'train-ai': 'y' }, undefined, t));
    const moPosts = [mo.sign({ content: 'first', created_at: t + 1 }), mo.sign({ content: 'second', created_at: t + 2 })];
    const luPost = lu.sign({ content: 'hi', created_at: t + 3 });
    for (const e of [...moPosts, luPost]) await v.send(e);
    const dir = ['-d', v.r.dataDir];

    const first = await hamlet(['dataset', 'export', '--purpose', 'train-ai', '--out', out, '--json', ...dir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.stdout) as { version: string; dir: string; records: number };
    expect(r1).toMatchObject({ status: 'published', version: '1.0.0', records: 3, dir: join(out, 'train-ai', '1.0.0') });
    expect(readVersion(r1.dir).badFiles).toEqual([]);
    // the running relay serves the manifest event the command published
    const served = (await v.manifests()).find((m) => tag(m, 'version') === '1.0.0');
    expect(served?.content).toBe(readVersion(r1.dir).manifestText);

    // the user's check: everything ok against the event's x; a changed byte in a copy fails it
    const verified = await hamlet(['dataset', 'verify', r1.dir, '--x', tag(served!, 'x')!]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('ok   manifest.json sha256 = the manifest event x\n');
    expect(verified.stdout).toContain('ok   Merkle root\n');
    expect(verified.stdout).toContain('ok   events signed by their authors (3)\n');
    expect(verified.stdout).not.toContain('FAIL');
    const copy = join(out, 'tampered');
    cpSync(r1.dir, copy, { recursive: true });
    appendFileSync(join(copy, 'posts.csv'), 'x,y\n');
    const tampered = await hamlet(['dataset', 'verify', copy]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('FAIL posts.csv sha256\n');
    expect(tampered.stdout).toContain('FAIL croissant posts.csv sha256\n');

    const again = await hamlet(['dataset', 'export', '--purpose', 'train-ai', '--out', out, ...dir]);
    expect(again).toMatchObject({ code: 0, stdout: 'train-ai 1.0.0 is current (3 posts): nothing changed, nothing written\n' });

    const which = await hamlet(['dataset', 'which', nip19.npubEncode(mo.pubkey), ...dir]);
    expect(which.code).toBe(0);
    expect(which.stdout).toBe(`train-ai 1.0.0 (current): 2 posts\n${moPosts.map((e) => e.id).sort().map((id) => `  ${id}\n`).join('')}`);

    // mo withdraws; the next export leaves mo out, in a new major version
    await v.send(consent(mo, { 'train-ai': 'n' }, undefined, t + 100));
    const second = await hamlet(['dataset', 'export', '--purpose', 'train-ai', '--out', out, ...dir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^train-ai 2\.0\.0: 1 posts \(\+0 -2 since 1\.0\.0\)/);
    expect(readVersion(join(out, 'train-ai', '2.0.0')).events.map((e) => e.id)).toEqual([luPost.id]);
    const after = await hamlet(['dataset', 'which', mo.pubkey, '--json', ...dir]);
    expect(after.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ purpose: 'train-ai', version: '1.0.0', status: 'superseded', ids: moPosts.map((e) => e.id).sort() }]);
    expect(tag((await v.manifests()).find((m) => tag(m, 'version') === '1.0.0')!, 'status')).toBe('superseded');

    // the relay's terms: NIP-11 and the page
    const http = v.r.url.replace('ws', 'http');
    const nip11 = (await (await fetch(http, { headers: { accept: 'application/nostr+json' } })).json()) as { commons: Record<string, unknown> };
    expect(nip11.commons).toEqual({ license: 'CC-BY-4.0', purposes: ['train-ai'], kinds: [1, 30023], terms: 'https://village.example/commons' });
    const page = await (await fetch(`${http}/commons`)).text();
    expect(page).toContain('<td>train-ai</td><td>2.0.0</td><td>current</td><td>1</td>');
    expect(page).toContain('<td>1.0.0</td><td>superseded</td>');
  }, 240_000);

  it('refuses a bad pubkey, an unknown use and a directory without a database', async () => {
    out = mkdtempSync(join(tmpdir(), 'hamlet-datasets-'));
    expect(await hamlet(['dataset', 'which', 'nobody', '-d', out])).toMatchObject({ code: 2, stderr: expect.stringContaining('not a pubkey') });
    const bad = await hamlet(['dataset', 'export', '--purpose', 'ads', '-d', out]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Allowed choices are train-ai, train-genai, search");
    expect(await hamlet(['dataset', 'export', '--purpose', 'search', '-d', join(out, 'none')])).toMatchObject({ code: 1, stderr: expect.stringContaining('no Hamlet database') });
  }, 120_000);
});
