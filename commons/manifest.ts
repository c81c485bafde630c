import { KIND_DATASET_MANIFEST } from '../relay/nostr/kinds.ts';
import { signEvent } from '../relay/nostr/sign.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { Purpose } from './consent.ts';
import type { DatasetFile } from './files.ts';
import type { CommonsKey } from './key.ts';
import type { DatasetStats } from './stats.ts';

/** manifest.json: what a dataset user checks the files against; the content of the signed manifest event. */
export interface Manifest {
  dataset: string;
  purpose: Purpose;
  version: string;
  previous: string | null;
  created: string;
  relay: string;
  /** The commons key (hex) that signs the manifest event. */
  publisher: string;
  license: string;
  records: number;
  /** Merkle root over the sorted event ids (commons/merkle.ts, docs/dataset.md). */
  merkleRoot: string;
  merkle: string;
  files: DatasetFile[];
  changes: { added: number; removed: number; relicensed: number };
  counts: Pick<DatasetStats, 'byKind' | 'byMonth' | 'byLicense'>;
}

export const MERKLE_SCHEME = 'sha256; leaves sha256(0x00 || id) over the event ids sorted as hex; nodes sha256(0x01 || left || right); an odd node is carried up';

/** How a dataset's manifest event is addressed: one per purpose and version. */
export const manifestAddress = (purpose: string, version: string): string => `${purpose}@${version}`;

export interface ManifestStatus {
  status: 'current' | 'superseded';
  supersededBy?: string;
  /** Why: records were withdrawn (a new major version) or added. */
  reason?: 'withdrawal' | 'additions';
}

/**
 * The manifest as a signed addressable event (kind 30777, d = purpose@version), content the exact
 * bytes of manifest.json, so its `x` (sha256) and the relay's signature vouch for every file.
 */
export function manifestEvent(key: CommonsKey, manifestJson: string, manifest: Manifest, manifestSha256: string, status: ManifestStatus, createdAt: number): NostrEvent {
  const tags: string[][] = [
    ['d', manifestAddress(manifest.purpose, manifest.version)],
    ['version', manifest.version],
    ['purpose', manifest.purpose],
    ['merkle_root', manifest.merkleRoot],
    ['x', manifestSha256],
    ['license', manifest.license],
    ['count', String(manifest.records)],
    ['status', status.status],
    ...(manifest.previous ? [['previous', manifest.previous]] : []),
    ...(status.supersededBy ? [['superseded_by', status.supersededBy]] : []),
    ...(status.reason ? [['reason', status.reason]] : []),
    ['alt', `Dataset manifest: ${manifest.dataset} ${manifest.version} (${status.status})`],
  ];
  return signEvent({ kind: KIND_DATASET_MANIFEST, created_at: createdAt, tags, content: manifestJson }, key.sk);
}
