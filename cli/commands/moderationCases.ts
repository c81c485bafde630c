import { Command, InvalidArgumentError } from 'commander';
import { DecisionRefused, VillageModeration, type Case, type CaseStatus, type Outcome } from '../../moderation/index.ts';
import { relayServices } from '../../relay/core.ts';
import { eventIdArg } from '../tools/args.ts';
import { UsageError } from '../tools/filter.ts';
import { openLocal } from '../tools/local.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { isoDate, textTable } from '../tools/table.ts';
import { moderationModelCommand } from './moderationModel.ts';

/** Runs `body` with the village moderation of the data directory, beside a running relay or not. */
async function withVillage(opts: DataOptions, body: (village: VillageModeration) => Promise<void> | void): Promise<void> {
  await runTool(async () => {
    const config = loadDataConfig(opts);
    const local = await openLocal(config, { ingest: true, policies: true, mustExist: true });
    try {
      const engine = local.policies!;
      const village = new VillageModeration({
        services: relayServices(config, local.log, local.store, local.relay!),
        relayUrl: () => config.relay.url,
        rules: () => engine.rulebook().rules,
        hide: (id) => local.store.hide(id),
        moderator: engine.moderator,
        decisions: engine.decisions,
      });
      try {
        await body(village);
      } finally {
        await village.close();
      }
    } finally {
      await local.close();
    }
  });
}

const STATUSES: readonly CaseStatus[] = ['open', 'decided', 'appealed', 'final'];
function statusList(text: string): CaseStatus[] {
  const list = text.split(',').map((s) => s.trim());
  for (const s of list) if (!STATUSES.includes(s as CaseStatus)) throw new InvalidArgumentError(`expected ${STATUSES.join(', ')} (comma-separated)`);
  return list as CaseStatus[];
}
function outcomeArg(text: string): Outcome {
  if (text !== 'uphold' && text !== 'overturn') throw new InvalidArgumentError('expected uphold (keep it hidden) or overturn (restore it)');
  return text;
}

const when = (ms: number): string => isoDate(Math.floor(ms / 1000));
const caseRow = (c: Case): (string | number)[] => [
  when(c.openedAt),
  c.id,
  c.event.pubkey.slice(0, 12),
  c.event.kind,
  c.origin,
  c.rule,
  c.reports.length,
  Number(c.weight.toFixed(2)),
  c.status,
  c.visibility,
];

/** `hamlet moderation cases | case | decide | stats | model`: the village's case queue (moderation/). */
export function addCaseCommands(cmd: Command): void {
  cmd.addCommand(moderationModelCommand());
  cmd.addCommand(
    withDataOptions(new Command('cases').description('List moderation cases (reported or held events), newest first'))
      .option('--status <list>', `only these statuses: ${STATUSES.join(', ')}`, statusList)
      .option('-n, --limit <n>', 'at most this many', positiveInt, 50)
      .option('--json', 'print JSON lines (the whole case)')
      .action((opts: DataOptions & { status?: CaseStatus[]; limit: number; json?: boolean }) =>
        withVillage(opts, (village) => {
          const cases = village.listCases({ status: opts.status, limit: opts.limit });
          if (opts.json) for (const c of cases) console.log(JSON.stringify(c));
          else console.log(textTable(['opened', 'case (event)', 'author', 'kind', 'origin', 'rule', 'reports', 'weight', 'status', 'visibility'], cases.map(caseRow)));
        }),
      ),
  );

  cmd.addCommand(
    withDataOptions(new Command('case').description('One case: the event, its reports, decisions, appeal, jury, and every action with who and when'))
      .argument('<event-id>', 'the event: 64 hex characters, note1… or nevent1…', eventIdArg)
      .option('--json', 'print JSON')
      .action((id: string, opts: DataOptions & { json?: boolean }) =>
        withVillage(opts, (village) => {
          const c = village.getCase(id);
          if (!c) throw new UsageError(`no case about ${id}`);
          if (opts.json) return void console.log(JSON.stringify(c, null, 2));
          console.log(`case ${c.id}: ${c.status}, ${c.visibility}; rule ${c.rule} (rulebook ${c.rulebookVersion}); ${c.reports.length} reports, weight ${c.weight.toFixed(2)}`);
          console.log(`event by ${c.event.pubkey}, kind ${c.event.kind}: ${JSON.stringify(c.event.content.slice(0, 200))}`);
          if (c.appeal) console.log(`appeal ${c.appeal.id}: jury of ${c.appeal.jury.length}, ${Object.keys(c.appeal.votes).length} votes, until ${when(c.appeal.deadline)}`);
          console.log(textTable(['time', 'by', 'action', 'detail', 'event'], c.actions.map((a) => [when(a.at), a.by.slice(0, 16), a.action, a.detail ?? '', a.eventId?.slice(0, 12) ?? ''])));
        }),
      ),
  );

  cmd.addCommand(
    withDataOptions(new Command('decide').description('Decide a case: uphold keeps the event hidden (the author may appeal), overturn restores it; published as a signed label, the author is told'))
      .argument('<event-id>', 'the case (its event id: hex, note1… or nevent1…)', eventIdArg)
      .argument('<outcome>', 'uphold or overturn', outcomeArg)
      .option('--rule <id>', "the rule decided under (default: the case's rule)")
      .option('--note <text>', 'a note for the author, in the label and the message')
      .option('--moderator <name>', 'who decided, recorded with the decision', 'cli')
      .action((id: string, outcome: Outcome, opts: DataOptions & { rule?: string; note?: string; moderator: string }) =>
        withVillage(opts, (village) => {
          try {
            const c = village.decide(id, { outcome, by: 'moderator', moderator: opts.moderator, rule: opts.rule, note: opts.note });
            console.log(`${outcome === 'uphold' ? 'upheld' : 'overturned'} ${id}: the case is ${c.status}, the event ${c.visibility}`);
          } catch (err) {
            if (err instanceof DecisionRefused) throw new UsageError(`cannot decide ${id}: ${err.message}`);
            throw err;
          }
        }),
      ),
  );

  cmd.addCommand(
    withDataOptions(new Command('stats').description('Accountability figures: cases, backlog, decisions, appeals and how they ended, jury participation, reporter accuracy'))
      .option('--json', 'print JSON')
      .action((opts: DataOptions & { json?: boolean }) =>
        withVillage(opts, (village) => {
          const s = village.stats();
          if (opts.json) return void console.log(JSON.stringify(s, null, 2));
          const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(0)}%`);
          const num = (x: number | null, digits = 1) => (x === null ? '-' : x.toFixed(digits));
          console.log(
            textTable(
              ['figure', 'value'],
              [
                ['cases', `${s.cases} (${s.byOrigin.reports} from reports, ${s.byOrigin.policy} held by policies)`],
                ['status', `${s.byStatus.open} open, ${s.byStatus.decided} decided, ${s.byStatus.appealed} appealed, ${s.byStatus.final} final`],
                ['backlog', `${s.backlog.open} open, oldest ${num(s.backlog.oldestHours)} h`],
                ['reports', String(s.reports)],
                ['provisional actions', `${s.provisional.hidden} hidden, ${s.provisional.flagged} flagged`],
                ['moderator decisions', `${s.moderatorDecisions.upheld} upheld, ${s.moderatorDecisions.overturned} overturned, median ${num(s.moderatorDecisions.medianHours)} h after opening`],
                ['appeals', `${s.appeals.filed} filed, ${s.appeals.pending} pending, ${s.appeals.overturned} overturned, ${s.appeals.upheld} upheld (overturn rate ${pct(s.appeals.overturnRate)})`],
                ['verdicts', `${s.appeals.byJury} by juries, ${s.appeals.byModeratorAfterTimeout} by moderators after a timeout`],
                ['juries', `${s.juries.votes} votes on ${s.juries.seats} seats (participation ${pct(s.juries.participation)}), ${num(s.juries.meanCommunities)} communities per jury`],
                ['reporters', `${s.reporters.count}, ${s.reporters.withOutcomes} with outcomes, mean accuracy ${pct(s.reporters.meanAccuracy)}`],
                ['hidden now', String(s.hiddenNow)],
              ],
            ),
          );
        }),
      ),
  );
}
