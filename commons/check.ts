import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { verifyEvent } from 'nostr-tools';
import { CROISSANT_RAI_SPEC, CROISSANT_SPEC } from './croissant.ts';
import { sha256File } from './files.ts';
import type { Manifest } from './manifest.ts';
import { merkleRoot } from './merkle.ts';

/** One check of a downloaded version, as `hamlet dataset verify` prints it. */
export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

/** Croissant 1.1's required dataset properties, and the RAI fields Hamlet states. */
export const CROISSANT_REQUIRED = ['@context', '@type', 'conformsTo', 'name', 'description', 'license', 'url', 'creator', 'datePublished', 'distribution'] as const;
export const RAI_FIELDS = ['rai:dataCollection', 'rai:dataCollectionType', 'rai:dataCollectionTimeframe', 'rai:dataPreprocessingProtocol', 'rai:personalSensitiveInformation', 'rai:dataLimitations', 'rai:dataBiases', 'rai:dataUseCases', 'rai:dataSocialImpact', 'rai:dataReleaseMaintenancePlan'] as const;

/**
 * Checks a version directory the way docs/dataset.md tells a dataset user to: every file against
 * manifest.json, the Merkle root against events.jsonl, every event's signature, croissant.json's
 * required properties, RAI fields and declared files. `expected` is the manifest's sha256 from the
 * signed manifest event (its `x` tag), when the caller has it.
 */
export async function checkVersion(dir: string, expected?: { manifestSha256?: string }): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail?: string) => void checks.push({ name, ok, ...(detail ? { detail } : {}) });
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return [{ name: 'manifest.json present', ok: false }];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  if (expected?.manifestSha256) check('manifest.json sha256 = the manifest event x', (await sha256File(manifestPath)) === expected.manifestSha256);
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    check(`${f.path} sha256`, existsSync(path) && (await sha256File(path)) === f.sha256);
  }
  const ids: string[] = [];
  let bad = 0;
  for await (const line of createInterface({ input: createReadStream(join(dir, 'events.jsonl')) })) {
    if (line === '') continue;
    const e = JSON.parse(line) as Parameters<typeof verifyEvent>[0];
    ids.push(e.id);
    if (!verifyEvent(e)) bad++;
  }
  check(`events signed by their authors (${ids.length})`, bad === 0, bad ? `${bad} bad signatures` : undefined);
  check('record count', ids.length === manifest.records, `${ids.length} lines, manifest says ${manifest.records}`);
  check('Merkle root', merkleRoot(ids) === manifest.merkleRoot);
  const meta = JSON.parse(readFileSync(join(dir, 'croissant.json'), 'utf8')) as Record<string, unknown>;
  const missing = CROISSANT_REQUIRED.filter((p) => meta[p] === undefined || meta[p] === '');
  check('Croissant 1.1 required properties', missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : undefined);
  const conforms = ([] as unknown[]).concat(meta.conformsTo);
  check('conformsTo Croissant 1.1 and RAI 1.0', conforms.includes(CROISSANT_SPEC) && conforms.includes(CROISSANT_RAI_SPEC));
  const noRai = RAI_FIELDS.filter((p) => !meta[p]);
  check('RAI fields', noRai.length === 0, noRai.length ? `missing ${noRai.join(', ')}` : undefined);
  for (const f of (meta.distribution as { contentUrl: string; sha256: string }[]) ?? []) {
    const path = join(dir, f.contentUrl);
    check(`croissant ${f.contentUrl} sha256`, existsSync(path) && (await sha256File(path)) === f.sha256);
  }
  return checks;
}
