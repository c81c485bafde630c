import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError, openModels, pullModel, listModels, type Manifest, type ManifestModel } from '../../models/index.ts';
import { readMarker } from '../../models/installed.ts';
import { writeTinyModels } from '../fixtures/tinyModels.ts';
import { capturingLogger, modelsConfig, tempDir } from './helpers.ts';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/**
 * A fake model host on 127.0.0.1 serving <repo>/resolve/<revision>/<path> like the hub, from a
 * generated tiny model; `tamper` makes it serve different bytes for one path.
 */
describe('hamlet models pull (against a fake hub on 127.0.0.1)', () => {
  const source = tempDir('hamlet-hub-');
  const dir = tempDir();
  let server: Server;
  let baseUrl: string;
  const served = new Map<string, Buffer>();
  const requests: string[] = [];
  let tamper: string | undefined;
  let model: ManifestModel;

  beforeAll(async () => {
    const tiny = writeTinyModels(source.path);
    for (const path of filesUnder(tiny.embed)) served.set(path, readFileSync(join(tiny.embed, path)));
    model = {
      name: 'tiny-embed',
      repo: 'village/tiny-embed',
      revision: 'abc123',
      task: 'feature-extraction',
      dtype: 'fp32',
      pooling: 'mean',
      description: 'a generated test model',
      files: [...served].map(([path, bytes]) => ({ path, size: bytes.length, sha256: sha256(bytes) })),
    };
    server = createServer((req, res) => {
      requests.push(req.url!);
      const m = /^\/village\/tiny-embed\/resolve\/abc123\/(.+)$/.exec(req.url!);
      const body = m ? served.get(m[1]!) : undefined;
      if (!body) return void res.writeHead(404).end('not found');
      const bytes = m![1] === tamper ? Buffer.concat([body.subarray(0, body.length - 1), Buffer.from([body.at(-1)! ^ 1])]) : body;
      res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    source.remove();
    dir.remove();
  });

  it('rejects a file whose checksum does not match, leaving nothing behind', async () => {
    tamper = 'onnx/model.onnx';
    const target = join(dir.path, 'bad');
    await expect(pullModel({ model, dir: target, baseUrl })).rejects.toThrow(ChecksumError);
    await expect(pullModel({ model, dir: target, baseUrl })).rejects.toThrow(/checksum mismatch for onnx\/model\.onnx: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}/);
    const left = filesUnder(target);
    expect(left.filter((f) => f.includes('model.onnx'))).toEqual([]);
    expect(left.some((f) => f.endsWith('.part') || f.endsWith('hamlet-model.json'))).toBe(false);
    tamper = undefined;
  });

  it('downloads every file with progress, verifies it, records it, and the model then loads', async () => {
    const progress: { file: string; received: number; total?: number }[] = [];
    const done: string[] = [];
    const marker = await pullModel({
      model,
      dir: dir.path,
      baseUrl: baseUrl + '/',
      onProgress: (p) => progress.push({ ...p }),
      onFileDone: (p) => done.push(`${p.file}:${p.skipped ? 'kept' : 'fetched'}`),
    });
    const folder = join(dir.path, 'village/tiny-embed');
    expect(filesUnder(folder)).toEqual([...served.keys(), 'hamlet-model.json'].sort());
    for (const [path, bytes] of served) expect(readFileSync(join(folder, path)).equals(bytes)).toBe(true);
    expect(done).toEqual(model.files.map((f) => `${f.path}:fetched`));
    const last = progress.filter((p) => p.file === 'onnx/model.onnx').at(-1)!;
    expect(last.received).toBe(last.total);
    expect(marker).toMatchObject({ name: 'tiny-embed', repo: 'village/tiny-embed', revision: 'abc123', source: baseUrl });
    expect(readMarker(folder)).toEqual(marker);

    const manifest: Manifest = { 'tiny-embed': model };
    const { log } = capturingLogger();
    const models = await openModels(modelsConfig({ dir: dir.path, embedding: 'tiny-embed', toxicity: 'builtin', workers: 1 }), { log, manifest });
    try {
      expect(models.embedder.info).toMatchObject({ id: 'village/tiny-embed', provider: 'transformers', version: `sha256:${model.files.find((f) => f.path === 'onnx/model.onnx')!.sha256!.slice(0, 12)}` });
      expect((await models.embedder.embed(['pulled and working']))[0]).toHaveLength(32);
    } finally {
      await models.close();
    }
    const listing = await listModels(modelsConfig({ dir: dir.path, embedding: 'tiny-embed', toxicity: 'builtin' }), manifest);
    expect(listing.rows.find((r) => r.name === 'tiny-embed')).toMatchObject({ installed: true, activeFor: ['embedding'] });
    expect(listing.active.map((a) => [a.task, a.model])).toEqual([
      ['embedding', 'village/tiny-embed'],
      ['toxicity', 'hamlet/builtin-lexicon-toxicity'],
    ]);
  });

  it('keeps files that are already there with the pinned checksum', async () => {
    requests.length = 0;
    const done: string[] = [];
    await pullModel({ model, dir: dir.path, baseUrl, onFileDone: (p) => done.push(`${p.file}:${p.skipped ? 'kept' : 'fetched'}`) });
    expect(requests).toEqual([]);
    expect(done).toEqual(model.files.map((f) => `${f.path}:kept`));
  });

  it('records the digest of an unpinned file, and fails on HTTP errors', async () => {
    const unpinned: ManifestModel = { ...model, files: model.files.map((f) => ({ path: f.path, sha256: null })) };
    const target = join(dir.path, 'tofu');
    const marker = await pullModel({ model: unpinned, dir: target, baseUrl });
    expect(marker.files.map((f) => [f.path, f.pinned, f.sha256])).toEqual(model.files.map((f) => [f.path, false, f.sha256]));
    await expect(pullModel({ model: { ...model, revision: 'nope' }, dir: join(dir.path, 'missing'), baseUrl })).rejects.toThrow(/HTTP 404/);
    expect(existsSync(join(dir.path, 'missing', 'village/tiny-embed', 'hamlet-model.json'))).toBe(false);
  });
});
