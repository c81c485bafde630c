import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyEvent } from 'nostr-tools';
import { Author, now } from '../helpers/client.ts';
import { merkleProof, verifyProof } from '../../commons/index.ts';
import { merkleRootOf, readVersion, sha256 } from './verify.ts';
import { consent, startVillage, tag, type Village } from './village.ts';

let v: Village | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

/** Croissant 1.1's required dataset properties (specification, "Dataset-level Information"), plus distribution. */
const REQUIRED = ['@context', '@type', 'conformsTo', 'name', 'description', 'license', 'url', 'creator', 'datePublished', 'distribution'];
/** Croissant RAI 1.0 fields this export promises. */
const RAI = ['rai:dataCollection', 'rai:dataCollectionType', 'rai:dataCollectionTimeframe', 'rai:dataPreprocessingProtocol', 'rai:personalSensitiveInformation', 'rai:dataLimitations', 'rai:dataBiases', 'rai:dataUseCases', 'rai:dataSocialImpact', 'rai:dataReleaseMaintenancePlan'];

/** JSON-LD without a network: every remote document is refused, so the metadata must carry its own context. */
const offline = async (url: string): Promise<never> => {
  throw new Error(`offline: refused to fetch ${url}`);
};

describe('what a dataset user checks', () => {
  it('the manifest event is signed by the commons key, names the manifest by sha256, and the files and Merkle root match', async () => {
    v = await startVillage({ relay: { url: '' } });
    const authors = [new Author(), new Author(), new Author()];
    const t = now() - 1000;
    for (const a of authors) await v.send(consent(a, { 'train-ai': 'y' }));
    for (let i = 0; i < 7; i++) await v.send(authors[i % 3]!.sign({ content: `post ${i}`, created_at: t + i }));
    const [r] = await v.r.commons!.runNow();
    const got = readVersion(r!.dir);

    // the commons key, as the relay's terms page names it
    const terms = (await (await fetch(`${v.r.url.replace('ws', 'http')}/commons`, { headers: { accept: 'application/json' } })).json()) as { publisher: string; datasets: { version: string; merkleRoot: string }[] };
    const [event] = (await v.manifests()).filter((m) => tag(m, 'version') === r!.version);
    expect(verifyEvent({ ...event! })).toBe(true);
    expect(event!.pubkey).toBe(terms.publisher);
    expect(got.manifest.publisher).toBe(terms.publisher);
    expect(event!.content).toBe(got.manifestText);
    expect(tag(event!, 'x')).toBe(sha256(got.manifestText));

    // every file the manifest lists is there with its digest, and nothing is missing from the list
    expect(got.badFiles).toEqual([]);
    expect(got.manifest.files.map((f) => f.path).sort()).toEqual(['changes.json', 'croissant.json', 'events.jsonl', 'posts.csv', 'stats.json']);
    // the Merkle root, recomputed from events.jsonl as docs/dataset.md describes it
    expect(got.events).toHaveLength(7);
    expect(merkleRootOf(got.events.map((e) => e.id))).toBe(got.manifest.merkleRoot);
    expect(tag(event!, 'merkle_root')).toBe(got.manifest.merkleRoot);
    expect(terms.datasets.find((d) => d.version === r!.version)?.merkleRoot).toBe(got.manifest.merkleRoot);
    // a member proves one post is in the version from the root alone
    const ids = got.events.map((e) => e.id);
    for (const id of ids) expect(verifyProof(id, merkleProof(ids, id)!, got.manifest.merkleRoot)).toBe(true);
    expect(verifyProof(new Author().sign({}).id, merkleProof(ids, ids[0]!)!, got.manifest.merkleRoot)).toBe(false);
    // a changed byte is caught
    expect(merkleRootOf([...ids.slice(1), ids[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'))])).not.toBe(got.manifest.merkleRoot);
  }, 120_000);

  it('croissant.json has the Croissant 1.1 required properties and the RAI fields, declares files that exist with their sha256, and expands as JSON-LD offline', async () => {
    v = await startVillage();
    const a = new Author();
    await v.send(consent(a, { 'train-ai': 'y' }, 'CC-BY-SA-4.0'));
    await v.send(a.sign({ content: 'the village green', created_at: Date.UTC(2026, 9, 3) / 1000 }));
    await v.send(a.sign({ kind: 30023, content: '# long form', tags: [['d', 'essay']], created_at: Date.UTC(2026, 10, 3) / 1000 }));
    const [r] = await v.r.commons!.runNow();
    const meta = JSON.parse(readFileSync(join(r!.dir, 'croissant.json'), 'utf8')) as Record<string, unknown>;

    for (const p of REQUIRED) expect(meta[p], p).toBeDefined();
    expect(meta['@type']).toBe('sc:Dataset');
    expect(meta.conformsTo).toContain('http://mlcommons.org/croissant/1.1');
    expect(meta.conformsTo).toContain('http://mlcommons.org/croissant/RAI/1.0');
    expect(meta.version).toBe('1.0.0');
    expect(meta.license).toEqual(['https://spdx.org/licenses/CC-BY-4.0.html', 'https://spdx.org/licenses/CC-BY-SA-4.0.html']);
    for (const f of RAI) expect(meta[f], f).toBeTruthy();
    expect(meta['rai:dataCollectionTimeframe']).toEqual(['2026-10-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z']);

    const files = meta.distribution as { '@type': string; contentUrl: string; sha256: string }[];
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      expect(f['@type']).toBe('cr:FileObject');
      const path = join(r!.dir, f.contentUrl);
      expect(existsSync(path), f.contentUrl).toBe(true);
      expect(sha256(readFileSync(path)), f.contentUrl).toBe(f.sha256);
    }
    // every field reads a column the CSV has
    const header = readFileSync(join(r!.dir, 'posts.csv'), 'utf8').split('\n')[0]!.split(',');
    const fields = (meta.recordSet as { field: { source: { fileObject: { '@id': string }; extract: { column: string } } }[] }[])[0]!.field;
    for (const f of fields) {
      expect(f.source.fileObject['@id']).toBe('posts.csv');
      expect(header).toContain(f.source.extract.column);
    }
    const stats = JSON.parse(readFileSync(join(r!.dir, 'stats.json'), 'utf8')) as { byKind: Record<string, number>; byMonth: Record<string, number> };
    expect(stats.byKind).toEqual({ 1: 1, 30023: 1 });
    expect(stats.byMonth).toEqual({ '2026-10': 1, '2026-11': 1 });

    // JSON-LD: the terms resolve to the Croissant, RAI and schema.org IRIs without fetching anything
    const expanded = (await jsonld.expand(meta as never, { documentLoader: offline as never })) as Record<string, unknown>[];
    expect(expanded).toHaveLength(1);
    const node = expanded[0]!;
    expect(node['@type']).toEqual(['http://schema.org/Dataset']);
    expect(node['http://purl.org/dc/terms/conformsTo']).toBeDefined();
    for (const f of RAI) expect(node[`http://mlcommons.org/croissant/RAI/${f.slice(4)}`], f).toBeDefined();
    const dist = node['http://schema.org/distribution'] as Record<string, unknown>[];
    expect(dist[0]!['@type']).toEqual(['http://mlcommons.org/croissant/FileObject']);
    expect(dist[0]!['http://schema.org/sha256']).toBeDefined();
    expect(node['http://mlcommons.org/croissant/recordSet']).toBeDefined();
  }, 120_000);
});
