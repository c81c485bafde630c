import { Command } from 'commander';
import { openStore } from '../../relay/core.ts';
import { parseDuration } from '../tools/filter.ts';
import { villageInsights, type Insights, type Trend } from '../tools/insights.ts';
import { askVillage, UnknownQuestion } from '../tools/insightQuestions.ts';
import { UsageError } from '../tools/filter.ts';
import { ownPubkeys } from '../../relay/nostr/ownKeys.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { isoDate, textTable } from '../tools/table.ts';

interface Opts extends DataOptions {
  since: string;
  top: number;
  json?: boolean;
}

/** `hamlet insights ask "<question>"`: one of a few everyday questions, answered in plain words. */
function askCommand(): Command {
  return withDataOptions(
    new Command('ask')
      .summary('Ask the village a question in plain words')
      .description(
        'A small fixed set of everyday questions, recognised by their words: "which topic was most popular last week?", "who joined this month?", "what is rising?", "which post was most popular this week?". ' +
          'A question it does not know gets the list of those it does (exit code 2).',
      ),
  )
    .argument('<question...>', 'the question (quotes optional)')
    .option('--json', 'print JSON')
    .action((words: string[], _opts: unknown, cmd: Command) =>
      runTool(async () => {
        // -d / -c may come before `ask` too (the parent command's options)
        const opts = cmd.optsWithGlobals<DataOptions & { json?: boolean }>();
        const config = loadDataConfig(opts);
        const store = openStore(config, { mustExist: true });
        try {
          const a = askVillage(store, words.join(' '), { privateKinds: config.nips.restrictedKinds, staff: ownPubkeys(config) });
          console.log(opts.json ? JSON.stringify(a, null, 2) : a.answer);
        } catch (err) {
          throw err instanceof UnknownQuestion ? new UsageError(err.message) : err;
        } finally {
          await store.close();
        }
      }),
    );
}

export function insightsCommand(): Command {
  return withDataOptions(
    new Command('insights')
      .summary('What the village talked about, engaged with, and moderated').description(
      "Village insights from the village's own data, on this machine: popular hashtags and topics this period vs the one before, " +
        "most engaged posts (reactions, reposts, replies, zaps), topics by the village labeler's topic labels and what is rising, active / new / returning members (the relay's own keys — DVMs, labeler, moderation, commons — are not members), moderation decisions by rule. " +
        'Ask in plain words with `hamlet insights ask "who joined this month?"`. ' +
        'Private kinds (DMs, seals, chat rumors, gift wraps, and nips.restrictedKinds) are left out: their content, their ids and the reactions they drew.',
    ),
  )
    .option('--since <period>', 'period length: this period vs the one before it (7d: this week vs last week)', '7d')
    .option('--top <n>', 'rows per list', positiveInt, 10)
    .option('--json', 'print JSON')
    .action((opts: Opts) =>
      runTool(async () => {
        const period = parseDuration(opts.since);
        const config = loadDataConfig(opts);
        const store = openStore(config, { mustExist: true });
        try {
          const r = villageInsights(store, { period, top: opts.top, privateKinds: config.nips.restrictedKinds, staff: ownPubkeys(config) });
          if (opts.json) console.log(JSON.stringify(r, null, 2));
          else console.log(render(r, opts.since));
        } finally {
          await store.close();
        }
      }),
    )
    .addCommand(askCommand());
}

const change = (t: { now: number; before: number }): string =>
  t.before === 0 ? (t.now > 0 ? 'new' : '') : `${t.now >= t.before ? '+' : ''}${Math.round(((t.now - t.before) / t.before) * 100)}%`;

const trendRows = (ts: Trend[]) => ts.map((t) => [t.name, t.now, t.before, change(t)]);

function render(r: Insights, period: string): string {
  const out: string[] = [];
  out.push(`Village insights: the last ${period} (${isoDate(r.since)} .. ${isoDate(r.until)}) vs the ${period} before`);
  out.push(`events: ${r.events.now} (before: ${r.events.before})`, '');
  out.push('Hashtags', textTable(['#tag', 'now', 'before', 'change'], trendRows(r.hashtags)), '');
  const by = r.topicSource === 'labels' ? "by the village labeler's topic labels" : 'by hashtags: no topic labels yet';
  out.push(`Topics (${by})`, textTable(['topic', 'now', 'before', 'change'], trendRows(r.topics)), '');
  out.push('Rising', r.rising.length === 0 ? '  (nothing has more posts than the period before)' : textTable(['topic', 'now', 'before', 'change'], trendRows(r.rising)), '');
  out.push(
    'Most engaged posts (score = reactions + 2 reposts + 2 replies + 3 zaps)',
    textTable(
      ['post', 'author', 'score', 'reactions', 'reposts', 'replies', 'zaps', 'sats', 'text'],
      r.engaged.map((p) => [p.id.slice(0, 12), p.pubkey?.slice(0, 12) ?? '?', p.score, p.reactions, p.reposts, p.replies, p.zaps, p.zapSats, p.snippet ?? '(not stored here)']),
    ),
    '',
  );
  const m = r.members;
  out.push(
    'Members',
    `  active     ${m.active} (before: ${m.activeBefore})`,
    `  new        ${m.new.length}${m.new.length ? `: ${m.new.map((p) => p.slice(0, 12)).join(', ')}` : ''}`,
    `  returning  ${m.returning.length}${m.returning.length ? `: ${m.returning.map((p) => p.slice(0, 12)).join(', ')}` : ''}`,
    `  continuing ${m.continuing}`,
    '',
  );
  out.push(
    'Moderation decisions by rule',
    r.moderation.length === 0 ? '  (none recorded)' : textTable(['policy', 'rule', 'action', 'now', 'before'], r.moderation.map((d) => [d.policy, d.rule, d.action, d.now, d.before])),
  );
  return out.join('\n');
}
