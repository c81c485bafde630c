import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DEFAULT_RULEBOOK_PATH, parseRulebook, type Rulebook } from '../../policies/index.ts';
import type { Relay } from '../../relay/relay.ts';
import { rulebookVersion, type RuleRef } from '../../moderation/rulebook.ts';
import type { RulebookHistory } from '../rulebookHistory.ts';
import type { Endpoint } from './endpoint.ts';
import { ApiError, invalid } from './respond.ts';

const MAX_TEXT = 200_000;

/** The rulebook file now in force (policies.rulebook, or the one shipped). */
const fileOf = (relay: Relay): string => relay.config.policies.rulebook || DEFAULT_RULEBOOK_PATH;

/**
 * The rulebook in the console: GET rulebook (the text, its rules and every version), GET
 * rulebook/diff?from=&to=, POST rulebook (admins: a new version, checked, written to
 * policies.rulebook, which the policies reload at once).
 */
export function rulebookEndpoints(relay: Relay, history: RulebookHistory, liveRules: () => readonly RuleRef[]): Endpoint[] {
  const current = async () => {
    const text = readFileSync(fileOf(relay), 'utf8');
    const rules = parseRulebook(text, fileOf(relay)).rules;
    return { text, rules, version: await history.note(rules, text, 'file') };
  };
  return [
    {
      method: 'GET',
      path: 'rulebook',
      role: 'moderator',
      async handle() {
        const now = await current();
        return {
          file: fileOf(relay),
          editable: relay.config.policies.rulebook !== '',
          text: now.text,
          rules: now.rules,
          version: now.version.version,
          live: rulebookVersion(liveRules()),
          versions: history.list().map(({ text: _text, ...v }) => v),
        };
      },
    },
    {
      method: 'GET',
      path: 'rulebook/diff',
      role: 'moderator',
      async handle({ query }) {
        const from = history.find(query.get('from') ?? '');
        const to = history.find(query.get('to') ?? '');
        if (!from || !to) throw invalid('from and to must be versions listed by GET /api/rulebook');
        // loaded on the first diff asked for, not with the relay
        const { diffLines } = await import('diff');
        return { from: from.version, to: to.version, parts: diffLines(from.text, to.text).map(({ added, removed, value }) => ({ added: !!added, removed: !!removed, value })) };
      },
    },
    {
      method: 'POST',
      path: 'rulebook',
      role: 'admin',
      async handle({ body, pubkey }) {
        const file = relay.config.policies.rulebook;
        if (!file) throw new ApiError(409, 'restricted: policies.rulebook is not set, and the rulebook shipped with Hamlet is not edited in place: copy it, set policies.rulebook to the copy, then publish here');
        if (typeof body.text !== 'string' || body.text.length > MAX_TEXT) throw invalid(`text must be the rulebook's TOML (at most ${MAX_TEXT} characters)`);
        let book: Rulebook;
        try {
          book = parseRulebook(body.text, 'the new rulebook');
        } catch (err) {
          throw invalid((err as Error).message);
        }
        if (book.rules.length === 0) throw invalid('the new rulebook has no [[rule]]');
        const base = typeof body.base === 'string' ? body.base : undefined;
        const now = await current();
        if (base && base !== now.version.version) throw new ApiError(409, `blocked: the rulebook changed since you opened it (now ${now.version.version}); reload and edit again`);
        // Written whole, then renamed: the policies' watcher never reads half a file.
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, body.text);
        renameSync(tmp, file);
        const note = typeof body.note === 'string' ? body.note.slice(0, 500) : undefined;
        const v = await history.note(book.rules, body.text, pubkey, note);
        relay.log.info({ admin: pubkey, version: v.version, rules: v.rules }, 'pages: rulebook published');
        return { version: v.version, rules: v.rules };
      },
    },
  ];
}
