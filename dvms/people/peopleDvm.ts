import { nip19 } from 'nostr-tools';
import type { Signals } from '../signals/index.ts';
import type { DvmSpec, JobContext, JobOutput, JobRequest } from '../types.ts';
import { PEOPLE_PARAMS, parsePeopleParams } from './params.ts';
import { PEOPLE_REASONS, peopleReasonText } from './reasons.ts';
import { suggestPeople } from './suggest.ts';

/** NIP-90 people discovery: request 5301, result 6301. */
export const PEOPLE_KIND = 5301;

export interface PeopleDvmOptions {
  signals: Signals;
  /** Prefix of the DVM's name (dvms.name). */
  name: string;
  /** The village's own keys (DVMs, labeler, moderation, commons): never suggested. Read per request: the DVM keys are known only once all are loaded. */
  excluded: () => ReadonlySet<string>;
}

/**
 * People to meet (the village's "AI staff"): members with shared interests within the member's
 * trust circle. Answers `[["p", pubkey, relay, reason, score, reason in words], ...]`, best first
 * (the feeds' format, with people).
 */
export function peopleDvm(o: PeopleDvmOptions): DvmSpec {
  return {
    id: 'people',
    kind: PEOPLE_KIND,
    name: `${o.name}: People to meet`,
    about:
      'Members of the village you may like to meet: people with your interests (what you post, like and follow) within your trust circle, followed by people you follow first. Never someone you already follow or mute. Each suggestion says why.',
    personalized: true,
    params: PEOPLE_PARAMS,
    extra: { reasons: PEOPLE_REASONS, resultFormat: '[["p", <pubkey>, <relay>, <reason code>, <score>, <reason in words>], ...] best first' },
    tags: [['t', 'people'], ['t', 'follow-suggestions']],
    takesUnaddressed: true,
    async handle(job: JobRequest, ctx: JobContext): Promise<JobOutput> {
      const params = parsePeopleParams(job);
      await o.signals.ready;
      await o.signals.flush();
      const found = suggestPeople(o.signals, params, o.excluded());
      const content =
        job.output === 'text/plain'
          ? found.map((s, i) => `${i + 1}. nostr:${nip19.npubEncode(s.pubkey)} — ${peopleReasonText(s.reason)}`).join('\n')
          : JSON.stringify(found.map((s) => ['p', s.pubkey, ctx.relayUrl, s.reason, s.score.toFixed(4), peopleReasonText(s.reason)]));
      return { content };
    },
  };
}
