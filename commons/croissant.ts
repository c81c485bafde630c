import { readFileSync } from 'node:fs';
import type { Purpose } from './consent.ts';
import type { DatasetFile } from './files.ts';
import type { DatasetStats } from './stats.ts';

/** The Croissant JSON-LD context (the specification's Appendix 1, with the RAI and PROV prefixes), kept here so nothing is fetched. */
export const CROISSANT_CONTEXT = JSON.parse(readFileSync(new URL('./croissant-context.json', import.meta.url), 'utf8')) as Record<string, unknown>;

export const CROISSANT_SPEC = 'http://mlcommons.org/croissant/1.1';
export const CROISSANT_RAI_SPEC = 'http://mlcommons.org/croissant/RAI/1.0';

const spdxUrl = (id: string): string => `https://spdx.org/licenses/${id}.html`;

const PURPOSE_TEXT: Record<Purpose, string> = {
  'train-ai': 'training AI models',
  'train-genai': 'training generative AI models',
  search: 'search',
};

export interface CroissantInput {
  name: string;
  purpose: Purpose;
  version: string;
  /** ISO time of this build. */
  published: string;
  /** ISO time of the first version of this dataset. */
  created: string;
  /** The relay's web address (http or https). */
  relayHttp: string;
  relayName: string;
  /** The dataset's licence (commons.license) and the records' own. */
  license: string;
  commonsPubkey: string;
  contact: string;
  files: { events: DatasetFile; posts: DatasetFile; stats: DatasetFile; changes: DatasetFile };
  stats: DatasetStats;
}

const fileObject = (f: DatasetFile, description: string) => ({
  '@type': 'cr:FileObject',
  '@id': f.path,
  name: f.path,
  description,
  contentUrl: f.path,
  contentSize: `${f.bytes} B`,
  encodingFormat: f.encodingFormat,
  sha256: f.sha256,
});

const column = (name: string, dataType: string, description: string) => ({
  '@type': 'cr:Field',
  '@id': `posts/${name}`,
  name,
  description,
  dataType,
  source: { fileObject: { '@id': 'posts.csv' }, extract: { column: name } },
});

/**
 * croissant.json: Croissant 1.1 metadata with the Responsible-AI (RAI 1.0) fields, describing
 * the files of one version (each with its sha256), the table's columns (a licence per record),
 * and how the data came to be: who consented, what was left out, and why.
 */
export function croissant(c: CroissantInput): Record<string, unknown> {
  const licences = [...new Set([c.license, ...Object.keys(c.stats.byLicense)])].sort();
  const purpose = PURPOSE_TEXT[c.purpose];
  return {
    '@context': CROISSANT_CONTEXT,
    '@type': 'sc:Dataset',
    conformsTo: [CROISSANT_SPEC, CROISSANT_RAI_SPEC],
    name: c.name,
    description:
      `Public posts of members of the Nostr relay "${c.relayName}" who consented to ${purpose} (the "${c.purpose}" category of the IETF AI-preferences vocabulary), ` +
      `as signed by their authors: ${c.stats.records} posts by ${c.stats.authors} authors. Every record keeps its author's signature and licence.`,
    version: c.version,
    datePublished: c.published,
    dateCreated: c.created,
    dateModified: c.published,
    license: licences.map(spdxUrl),
    url: `${c.relayHttp}/commons`,
    creator: { '@type': 'Organization', name: c.relayName, url: c.relayHttp },
    publisher: { '@type': 'Organization', name: c.relayName, url: c.relayHttp, identifier: `nostr:${c.commonsPubkey}`, ...(c.contact ? { email: c.contact } : {}) },
    keywords: ['nostr', 'social media', 'community', 'consent', c.purpose],
    inLanguage: 'mul',
    isLiveDataset: false,
    citeAs: `${c.relayName}, ${c.name} ${c.version} (${c.published.slice(0, 10)}), ${c.relayHttp}/commons`,
    usageInfo: `Each record's licence is in its "license" column; the dataset may be used for ${purpose} only, the use its authors consented to. A later version replaces this one: when it is a new major version, records were withdrawn, and this version should no longer be used (see the signed manifest events of ${c.commonsPubkey}).`,
    'rai:dataCollection':
      'Notes and long-form posts published to the relay by their authors over the Nostr protocol, each signed by its author. Only the posts of members who published a consent event (kind 10777) allowing this use are included, under the licence they chose.',
    'rai:dataCollectionType': ['Social media posts', 'Self-published'],
    'rai:dataCollectionTimeframe': c.stats.first ? [c.stats.first, c.stats.last] : [],
    'rai:dataPreprocessingProtocol':
      'None to the content: events are exported exactly as signed. Left out: members without consent for this use, direct messages, seals, chat messages and gift wraps, NIP-70 protected events, events deleted by their author (NIP-09) or removed by a request to vanish (NIP-62), expired events (NIP-40), and events hidden by moderation.',
    'rai:personalSensitiveInformation':
      'Posts are public and pseudonymous (authors are public keys), but free text may name people, places or health, political or religious matters. No private messages are included. Authors may withdraw: the next version leaves their posts out.',
    'rai:dataLimitations':
      'A small, self-selected community; only members who opted in are present, so the data is not representative of the relay, let alone of Nostr. Languages, topics and volume vary with the community.',
    'rai:dataBiases':
      'Opt-in selection: members who consent may differ from those who do not. Active members weigh more than occasional ones. Moderated-out posts are absent, which reflects the village rulebook.',
    'rai:dataUseCases': `Use permitted by the authors: ${purpose}. Not for identifying or profiling individual authors.`,
    'rai:dataSocialImpact':
      "The village offers its own members' consented posts as a commons; withdrawal is honoured in every later version, and each version is signed so its provenance can be checked.",
    'rai:dataReleaseMaintenancePlan':
      'Rebuilt on schedule and on demand; every version has a semantic version, a manifest with the sha256 of each file and a Merkle root of its event ids, published as a signed Nostr event. A version that lost records is superseded by a new major version.',
    'prov:wasAttributedTo': { '@type': 'prov:Agent', 'prov:label': `the members of ${c.relayName} who consented` },
    'prov:wasGeneratedBy': { '@type': 'prov:Activity', 'prov:label': `hamlet dataset export --purpose ${c.purpose}`, 'prov:endedAtTime': c.published },
    distribution: [
      fileObject(c.files.events, 'The signed original Nostr events (NIP-01), one JSON object per line, exactly as stored.'),
      fileObject(c.files.posts, 'One row per post, for analysis.'),
      fileObject(c.files.stats, 'Counts of records per kind, per month and per licence.'),
      fileObject(c.files.changes, 'Event ids added and removed since the previous version.'),
    ],
    recordSet: [
      {
        '@type': 'cr:RecordSet',
        '@id': 'posts',
        name: 'posts',
        description: 'The posts, one record each.',
        key: { '@id': 'posts/id' },
        field: [
          column('id', 'sc:Text', 'Nostr event id (sha256 of the serialised event, hex).'),
          column('pubkey', 'sc:Text', "The author's public key (hex)."),
          column('created_at', 'sc:DateTime', 'When the author says the post was written (UTC).'),
          column('kind', 'sc:Integer', 'Nostr kind: 1 a note, 30023 a long-form article.'),
          column('content', 'sc:Text', 'The text of the post.'),
          column('hashtags', 'sc:Text', "The post's hashtags (t tags), space-separated."),
          column('license', 'sc:Text', "SPDX id of the licence the author chose for the record (the dataset's when they named none)."),
          column('consent_event', 'sc:Text', "Id of the author's consent event the record was included under."),
        ],
      },
    ],
  };
}
