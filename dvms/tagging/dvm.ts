import type { LabelsConfig } from '../../config/sections/labels.ts';
import type { Classifier } from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { RelayServices } from '../../relay/services.ts';
import { JobError, type DvmSpec, type JobContext, type JobOutput, type JobRequest, type ParamDoc } from '../types.ts';
import { decideLabels } from '../labels/decide.ts';
import { formatScore } from '../labels/labelEvent.ts';
import { NEVER_LABELLED } from '../labels/labeler.ts';
import { NAMESPACES } from '../labels/namespaces.ts';
import type { Tagger } from '../tags/tagger.ts';
import { hashtagsOf } from '../tags/text.ts';
import { isHex64 } from '../../relay/nostr/hex.ts';
import { groupOf } from '../../relay/nostr/tags.ts';
import { mayReadGroup } from '../runtime/groupAccess.ts';

/**
 * The tagging job kind. No registered NIP-90 kind suggests tags or labels (NIPS.md section 15),
 * and 5320 is not taken in the registry; the result is 6320. Announced in the 31990.
 */
export const TAGGING_KIND = 5320;

const LABEL_SETS = ['topic', 'language', 'content-warning', 'toxicity'] as const;
type LabelSet = (typeof LABEL_SETS)[number];
const SWITCH: Record<LabelSet, 'topic' | 'language' | 'contentWarning' | 'toxicity'> = {
  topic: 'topic',
  language: 'language',
  'content-warning': 'contentWarning',
  toxicity: 'toxicity',
};
const OUTPUTS = new Set(['application/json', 'text/plain']);
/** Most text read from the inputs. */
const MAX_TEXT = 8000;

export interface TaggingDvmOptions {
  services: RelayServices;
  tagger: Tagger;
  toxicity: Classifier;
  config: LabelsConfig;
  /** Prefix of the name in the announcement (dvms.name). */
  namePrefix: string;
  takesUnaddressed?: boolean;
}

function paramDocs(c: LabelsConfig): Record<string, ParamDoc> {
  return {
    max_results: { required: false, type: 'integer', default: String(c.maxTopics), description: 'How many hashtags to suggest (1-20).' },
    min_score: { required: false, type: 'number', default: '0', description: 'Leave out hashtags scoring below this (0-1).' },
    labels: {
      required: false,
      type: 'string[]',
      values: [...LABEL_SETS],
      default: LABEL_SETS.join(','),
      description: 'Which NIP-32 label namespaces to compute besides the hashtags (comma-separated); "none" for hashtags only.',
    },
  };
}

/** Reads a job's params; malformed ones are the customer's error. */
function parseParams(job: JobRequest, c: LabelsConfig): { maxResults: number; minScore: number; labels: Set<LabelSet> } {
  const one = (k: string) => job.params.get(k)?.at(-1)?.[0];
  const mr = one('max_results');
  const maxResults = mr === undefined ? c.maxTopics : Number(mr);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 20) throw new JobError(`param max_results must be an integer from 1 to 20, got "${mr}"`);
  const ms = one('min_score');
  const minScore = ms === undefined ? 0 : Number(ms);
  if (!Number.isFinite(minScore) || minScore < 0 || minScore > 1) throw new JobError(`param min_score must be a number from 0 to 1, got "${ms}"`);
  const asked = (job.params.get('labels') ?? []).flat().flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  const labels = new Set<LabelSet>();
  for (const a of asked.length ? asked : LABEL_SETS) {
    if (a === 'none') continue;
    if (!(LABEL_SETS as readonly string[]).includes(a)) throw new JobError(`param labels: unknown namespace "${a}" (${LABEL_SETS.join(', ')} or none)`);
    labels.add(a as LabelSet);
  }
  return { maxResults, minScore, labels };
}

/** The text to tag: `text` inputs verbatim, `event` inputs read from this relay (never a private kind). */
function inputText(job: JobRequest, services: RelayServices): { text: string; existing: Set<string> } {
  if (job.inputs.length === 0) throw new JobError('no input: give ["i", "<text>", "text"] or ["i", "<event id>", "event"]');
  const parts: string[] = [];
  const existing = new Set<string>();
  const privateKinds = new Set([...NEVER_LABELLED, ...services.config.nips.restrictedKinds]);
  for (const i of job.inputs) {
    if (i.type === 'text') parts.push(i.value);
    else if (i.type === 'event') {
      if (!isHex64(i.value)) throw new JobError(`input "${i.value}" is not an event id (64 hex digits)`);
      // query, not getById: held (moderation queue) and expired events stay unseen
      const e: NostrEvent | undefined = services.query([{ ids: [i.value], limit: 1 }])[0];
      // a private event is "not found": saying more would tell a stranger that it exists
      const group = e && groupOf(e);
      const hidden = group !== undefined && (!services.modelMayRead(e!) || !mayReadGroup(services, group, job.customer));
      if (!e || privateKinds.has(e.kind) || hidden) throw new JobError(`event ${i.value} is not on this relay`);
      parts.push(e.content);
      for (const t of hashtagsOf(e)) existing.add(t);
    } else throw new JobError(`input type "${i.type}" is not supported here: use text or event`);
  }
  const text = parts.join('\n').slice(0, MAX_TEXT);
  if (!/\p{L}/u.test(text)) throw new JobError('the input has no text to tag');
  return { text, existing };
}

/**
 * The tagging DVM (kind 5320): suggests hashtags for a text or a stored event, with NIP-32
 * labels (topic, language, content warning, toxicity). The result content is a JSON array of
 * tags a client can add to the post as they are: `["t", tag, score]` suggestions best first
 * (an event's own hashtags left out), then `["L", ns]` / `["l", value, ns, score]` self-labels.
 * Result tags name the models: `["model", id, version]`.
 */
export function taggingDvm(o: TaggingDvmOptions): DvmSpec {
  const c = o.config;
  return {
    id: 'tags',
    kind: TAGGING_KIND,
    name: `${o.namePrefix}: Tags and labels`,
    about:
      "Suggests hashtags for a text or a post from the village's own vocabulary (a tagger trained on the hashtags members use, once it beats the most-used-tags baseline), " +
      'with NIP-32 labels: topic (#t), language (ISO-639-1), content warning and toxicity, each with a score. Local models only.',
    personalized: false,
    params: paramDocs(c),
    get extra() {
      return {
        resultFormat: '[["t", <tag>, <score>], ..., ["L", <namespace>], ["l", <label>, <namespace>, <score>], ...]; result tags ["model", <id>, <version>]',
        inputs: ['text', 'event'],
        namespaces: Object.values(NAMESPACES),
        tagger: o.tagger.mode,
        models: o.tagger.models.map((m) => `${m.id}@${m.version}`),
      };
    },
    tags: [['t', 'tags'], ['t', 'labels']],
    takesUnaddressed: o.takesUnaddressed ?? true,
    async handle(job: JobRequest, ctx: JobContext): Promise<JobOutput> {
      if (job.output !== undefined && !OUTPUTS.has(job.output)) throw new JobError(`output "${job.output}" is not offered: application/json or text/plain`);
      const p = parseParams(job, c);
      const { text, existing } = inputText(job, o.services);
      const wantsToxicity = p.labels.has('toxicity') || p.labels.has('content-warning');
      const [suggestions, toxicity] = await Promise.all([
        o.tagger.suggest([text], p.maxResults + existing.size),
        wantsToxicity ? o.toxicity.classify([text]) : undefined,
      ]);
      if (ctx.cancelled()) return { content: '[]' };
      const topics = suggestions[0]!;
      const tags = topics.filter((s) => s.score >= p.minScore && !existing.has(s.tag)).slice(0, p.maxResults);
      const on = { topic: false, language: false, contentWarning: false, toxicity: false };
      for (const l of p.labels) on[SWITCH[l]] = true;
      const decisions = decideLabels(
        { text, toxicity: toxicity?.[0], toxicityModel: o.toxicity.info, topics, topicModels: o.tagger.models },
        on,
        c,
      );
      const models = new Map<string, string>();
      for (const m of [...o.tagger.models, ...decisions.flatMap((d) => d.models)]) models.set(m.id, m.version);
      const resultTags = [...models].map(([id, version]) => ['model', id, version]);
      if (job.output === 'text/plain') {
        const lines = [tags.length ? tags.map((t) => `#${t.tag} (${formatScore(t.score)})`).join(' ') : '(no hashtag suggestions)'];
        for (const d of decisions) lines.push(`${d.namespace}: ${d.labels.map((l) => `${l.value} (${formatScore(l.score)})`).join(', ')}`);
        return { content: lines.join('\n'), tags: resultTags };
      }
      const content: string[][] = tags.map((t) => ['t', t.tag, formatScore(t.score)]);
      for (const d of decisions) content.push(['L', d.namespace], ...d.labels.map((l) => ['l', l.value, d.namespace, formatScore(l.score)]));
      return { content: JSON.stringify(content), tags: resultTags };
    },
  };
}
