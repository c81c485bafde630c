import type { Config } from '../config/schema.ts';
import type { Route } from '../relay/server/routes.ts';
import { KIND_DATA_CONSENT, KIND_DATASET_MANIFEST } from '../relay/nostr/kinds.ts';
import { parsePubkey } from '../relay/nostr/keys.ts';
import type { DatasetHistory } from './history.ts';
import { whichVersions } from './which.ts';

/** The page of the relay's data terms; NIP-11's `commons.terms` points at it. */
export const COMMONS_PATH = '/commons';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the relay tells members and dataset users about its datasets: the terms, the signer, the versions. */
export function commonsTerms(config: Config, pubkey: string, history: DatasetHistory) {
  const c = config.commons;
  return {
    license: c.license,
    purposes: c.purposes,
    kinds: c.kinds,
    contact: c.contact || config.relay.contact,
    consent: { kind: KIND_DATA_CONSENT, default: 'no consent: posts are exported only for the uses their author allowed' },
    publisher: pubkey,
    manifestKind: KIND_DATASET_MANIFEST,
    datasets: history.versions().map((v) => ({ purpose: v.purpose, version: v.version, status: v.supersededBy ? 'superseded' : 'current', supersededBy: v.supersededBy, records: v.count, merkleRoot: v.merkleRoot, manifestSha256: v.manifestSha256, manifestEvent: v.manifestEventId, published: new Date(v.createdAt * 1000).toISOString() })),
  };
}

function page(name: string, t: ReturnType<typeof commonsTerms>): string {
  const rows = t.datasets
    .map((d) => `<tr><td>${escapeHtml(d.purpose)}</td><td>${escapeHtml(d.version)}</td><td>${d.status}</td><td>${d.records}</td><td><code>${d.merkleRoot.slice(0, 16)}…</code></td><td>${escapeHtml(d.published)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)}: our data as a commons</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:.1rem .3rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body>
<h1>${escapeHtml(name)}: our data as a commons</h1>
<p>Members decide whether their public posts may be used, and for what: a signed consent event (kind ${t.consent.kind}) lists the uses they allow (<code>train-ai</code>, <code>train-genai</code>, <code>search</code>) and their licence. Without one, nothing of theirs is exported. A later event replaces the earlier one; a deletion or a request to vanish takes posts out of every later version.</p>
<p>This relay exports datasets for: ${t.purposes.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}. Default licence: <code>${escapeHtml(t.license)}</code>. Never exported: direct messages, gift wraps, protected (NIP-70) events, deleted, expired or moderated-out posts.</p>
<p>Each version's manifest (sha256 of every file, Merkle root of its event ids) is published as a kind ${t.manifestKind} event signed by <code>${t.publisher}</code>.${t.contact ? ` Contact: ${escapeHtml(t.contact)}.` : ''}</p>
<table><thead><tr><th>use</th><th>version</th><th>status</th><th>posts</th><th>Merkle root</th><th>published</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>`;
}

const WHICH = `${COMMONS_PATH}/which/`;

/**
 * GET /commons: the terms as HTML, or JSON with `Accept: application/json`. GET
 * /commons/which/<npub or hex>: a member's posts in each dataset version (JSON; the datasets are
 * public, so this tells nobody more than the files do).
 */
export function commonsRoute(config: () => Config, pubkey: string, history: DatasetHistory): Route {
  return (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    if (req.path.startsWith(WHICH)) {
      const member = parsePubkey(decodeURIComponent(req.path.slice(WHICH.length)));
      if (!member) return { status: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: 'not a pubkey (64 hex characters or npub)' }) };
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pubkey: member, versions: whichVersions(history, member) }) };
    }
    if (req.path !== COMMONS_PATH) return undefined;
    const t = commonsTerms(config(), pubkey, history);
    if ((req.headers.accept ?? '').toLowerCase().includes('application/json')) {
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(t) };
    }
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page(config().relay.name, t) };
  };
}
