import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { PublishResult } from '../relay/services.ts';
import type { Store } from '../relay/store/store.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { diff, nextVersion } from './changes.ts';
import type { Purpose } from './consent.ts';
import { croissant } from './croissant.ts';
import { eventsJsonl, postsCsv, writeDatasetFile } from './files.ts';
import type { DatasetHistory, DatasetVersion, VersionRecord } from './history.ts';
import type { CommonsKey } from './key.ts';
import { manifestEvent, MERKLE_SCHEME, type Manifest } from './manifest.ts';
import { merkleRoot } from './merkle.ts';
import { selectRecords, type DatasetRecord } from './select.ts';
import { datasetStats } from './stats.ts';

export interface ExportOptions {
  store: Store;
  config: Config;
  history: DatasetHistory;
  key: CommonsKey;
  purpose: Purpose;
  /** The relay's URL (ws or wss), named in the metadata. */
  relayUrl: string;
  /** Publishes a signed event on the relay (the manifest, and the superseded ones). */
  publish(event: NostrEvent): Promise<PublishResult>;
  /** Root of the datasets: versions go to <root>/<purpose>/<version>/ (default commons.exportDir). */
  root?: string;
  now?: Date;
  /** Posts that may enter a dataset besides their authors' consent (groups/: only groups that opted in); default all. */
  mayExport?: (event: NostrEvent) => boolean;
}

export interface ExportResult {
  /** empty: nobody consents yet and there was never a version, so there is nothing to publish. */
  status: 'published' | 'unchanged' | 'empty';
  purpose: Purpose;
  version: string;
  previous?: string;
  dir: string;
  records: number;
  added: number;
  removed: number;
  merkleRoot: string;
  manifestEventId: string;
}

/** commons.exportDir, or <storage.dataDir>/datasets. */
export const datasetsRoot = (config: Pick<Config, 'commons' | 'storage'>): string => config.commons.exportDir || join(config.storage.dataDir, 'datasets');

/** The relay's web address for its ws(s) URL. */
export const httpBase = (url: string): string => url.replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '');

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'hamlet';

const byTimeThenId = (a: DatasetRecord, b: DatasetRecord): number => a.event.created_at - b.event.created_at || (a.event.id < b.event.id ? -1 : 1);

/**
 * Builds the dataset for one purpose from what the store serves now and, when it differs from the
 * last version, writes a new version (files, croissant.json, manifest.json), publishes its signed
 * manifest event and marks the versions before it superseded. Nothing changed: no new version.
 */
export async function exportDataset(o: ExportOptions): Promise<ExportResult> {
  const { config, purpose } = o;
  const now = o.now ?? new Date();
  const records = [
    ...selectRecords(o.store, {
      purpose,
      kinds: config.commons.kinds,
      restrictedKinds: config.nips.restrictedKinds,
      defaultLicense: config.commons.license,
      now: Math.floor(now.getTime() / 1000),
      mayExport: o.mayExport,
    }),
  ].sort(byTimeThenId);
  const latest = o.history.latest(purpose);
  if (!latest && records.length === 0) return { status: 'empty', purpose, version: '', dir: '', records: 0, added: 0, removed: 0, merkleRoot: '', manifestEventId: '' };
  const changes = diff(latest && new Map(o.history.recordsOf(latest).map(([id, , license]) => [id, license])), new Map(records.map((r) => [r.event.id, r.license])), latest?.version);
  const version = nextVersion(changes);
  const root = o.root ?? datasetsRoot(config);
  if (!version) {
    return { status: 'unchanged', purpose, version: latest!.version, dir: latest!.dir, records: records.length, added: 0, removed: 0, merkleRoot: latest!.merkleRoot, manifestEventId: latest!.manifestEventId };
  }

  const dir = join(root, purpose, version);
  if (existsSync(dir)) throw new Error(`${dir} exists already: move it away or export to another --out`);
  // Written under a temporary name and renamed once complete: a version directory is never half a dataset.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const name = `${slug(config.relay.name)}-${purpose}`;
    const published = now.toISOString();
    const stats = datasetStats(records);
    const root_ = merkleRoot(records.map((r) => r.event.id));
    const relayHttp = httpBase(o.relayUrl);
    const files = {
      events: writeDatasetFile(partial, 'events.jsonl', eventsJsonl(records), 'application/jsonlines'),
      posts: writeDatasetFile(partial, 'posts.csv', postsCsv(records), 'text/csv'),
      stats: writeDatasetFile(partial, 'stats.json', JSON.stringify(stats, null, 2) + '\n', 'application/json'),
      changes: writeDatasetFile(partial, 'changes.json', JSON.stringify(changes, null, 2) + '\n', 'application/json'),
    };
    const first = o.history.versions(purpose)[0];
    const meta = croissant({
      name,
      purpose,
      version,
      published,
      created: first ? new Date(first.createdAt * 1000).toISOString() : published,
      relayHttp,
      relayName: config.relay.name,
      license: config.commons.license,
      commonsPubkey: o.key.pubkey,
      contact: config.commons.contact || config.relay.contact,
      files,
      stats,
    });
    const croissantFile = writeDatasetFile(partial, 'croissant.json', JSON.stringify(meta, null, 2) + '\n', 'application/ld+json');
    const manifest: Manifest = {
      dataset: name,
      purpose,
      version,
      previous: latest?.version ?? null,
      created: published,
      relay: o.relayUrl,
      publisher: o.key.pubkey,
      license: config.commons.license,
      records: records.length,
      merkleRoot: root_,
      merkle: MERKLE_SCHEME,
      files: [files.events, files.posts, files.stats, files.changes, croissantFile],
      changes: { added: changes.added.length, removed: changes.removed.length, relicensed: changes.relicensed.length },
      counts: { byKind: stats.byKind, byMonth: stats.byMonth, byLicense: stats.byLicense },
    };
    const manifestJson = JSON.stringify(manifest, null, 2) + '\n';
    const manifestFile = writeDatasetFile(partial, 'manifest.json', manifestJson, 'application/json');
    const createdAt = Math.floor(now.getTime() / 1000);
    const event = manifestEvent(o.key, manifestJson, manifest, manifestFile.sha256, { status: 'current' }, createdAt);
    const res = await o.publish(event);
    if (!res.ok) throw new Error(`the relay refused the manifest event: ${res.message}`);
    renameSync(partial, dir);
    const entry: DatasetVersion = {
      purpose,
      version,
      createdAt,
      dir,
      merkleRoot: root_,
      manifestSha256: manifestFile.sha256,
      manifest: manifestJson,
      manifestEventId: event.id,
      manifestEventAt: createdAt,
      count: records.length,
    };
    await o.history.add(entry, records.map((r): VersionRecord => [r.event.id, r.event.pubkey, r.license]).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    await supersede(o, entry, changes.removed.length > 0 ? 'withdrawal' : 'additions', createdAt);
    return { status: 'published', purpose, version, previous: latest?.version, dir, records: records.length, added: changes.added.length, removed: changes.removed.length, merkleRoot: root_, manifestEventId: event.id };
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Republishes the manifest event of every earlier version still marked current as superseded by
 * `next`; after a withdrawal, also those superseded only by additions so far, since they hold
 * withdrawn posts too: each old version then names the first version that left them out.
 */
async function supersede(o: ExportOptions, next: DatasetVersion, reason: 'withdrawal' | 'additions', at: number): Promise<void> {
  for (const v of o.history.versions(next.purpose)) {
    if (v.version === next.version || v.supersededReason === 'withdrawal' || (v.supersededBy && reason === 'additions')) continue;
    const manifest = JSON.parse(v.manifest) as Manifest;
    // A replacement must be newer than the event it replaces (NIP-01), even within the same second.
    const event = manifestEvent(o.key, v.manifest, manifest, v.manifestSha256, { status: 'superseded', supersededBy: next.version, reason }, Math.max(at, v.manifestEventAt + 1));
    const res = await o.publish(event);
    if (!res.ok) throw new Error(`the relay refused the superseding manifest event of ${v.version}: ${res.message}`);
    await o.history.update({ ...v, supersededBy: next.version, supersededReason: reason, manifestEventId: event.id, manifestEventAt: event.created_at });
  }
}

/** sha256 of a string, hex (for callers checking a manifest's `x`). */
export const sha256Hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
