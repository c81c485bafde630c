import { Command } from 'commander';
import type { DecisionRecord, HamletPolicyEngine } from '../../policies/index.ts';
import { openLocal } from '../tools/local.ts';
import { parseDuration } from '../tools/filter.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { isoDate, textTable } from '../tools/table.ts';
import { eventIdArg, pubkeyArg } from '../tools/args.ts';
import { addCaseCommands } from './moderationCases.ts';

/** Runs `body` with the policy engine of the data directory (its decision log and queue). */
async function withEngine(opts: DataOptions, body: (engine: HamletPolicyEngine) => Promise<void>): Promise<void> {
  await runTool(async () => {
    const local = await openLocal(loadDataConfig(opts), { ingest: true, policies: true, mustExist: true });
    try {
      await body(local.policies!);
    } finally {
      await local.close();
    }
  });
}

const when = (ms: number): string => isoDate(Math.floor(ms / 1000));

function decisionRows(records: DecisionRecord[]): (string | number)[][] {
  return records.map((d) => [when(d.at), d.stage, d.action, d.policy, d.rule ?? '', d.eventId?.slice(0, 12) ?? '', d.pubkey?.slice(0, 12) ?? '', d.reason ?? '']);
}

interface DecisionOpts extends DataOptions {
  since?: string;
  policy?: string;
  rule?: string;
  pubkey?: string;
  event?: string;
  limit: number;
  json?: boolean;
}

/** `hamlet moderation`: the decision log and the queue of held events, as moderators work them. */
export function moderationCommand(): Command {
  const cmd = new Command('moderation').summary('Decision log and held events: list, release, ban').description(
    'Every non-accept policy decision is recorded with its rule; held events wait here for a moderator. Works beside a running relay.',
  );

  cmd.addCommand(
    withDataOptions(new Command('decisions').description('List recorded decisions, newest first'))
      .option('--since <age>', 'only this recent (e.g. 7d, 12h)')
      .option('--policy <name>', 'only from this policy')
      .option('--rule <id>', 'only citing this rule')
      .option('--pubkey <key>', 'only about this author (hex or npub)', pubkeyArg)
      .option('--event <id>', 'only about this event (hex, note or nevent)', eventIdArg)
      .option('-n, --limit <n>', 'at most this many', positiveInt, 50)
      .option('--json', 'print JSON lines')
      .action((opts: DecisionOpts) =>
        withEngine(opts, async (engine) => {
          const records = engine
            .listDecisions({
              since: opts.since ? Date.now() - parseDuration(opts.since) * 1000 : undefined,
              policy: opts.policy,
              rule: opts.rule,
              pubkey: opts.pubkey,
              eventId: opts.event,
            })
            .slice(0, opts.limit);
          if (opts.json) for (const r of records) console.log(JSON.stringify(r));
          else console.log(textTable(['time', 'stage', 'action', 'policy', 'rule', 'event', 'author', 'reason'], decisionRows(records)));
        }),
      ),
  );

  cmd.addCommand(
    withDataOptions(new Command('held').description('List events held for review (NIP-86 listeventsneedingmoderation)'))
      .option('--json', 'print JSON lines, with the held event')
      .action((opts: DataOptions & { json?: boolean }) =>
        withEngine(opts, async (engine) => {
          const held = engine.listHeld();
          if (opts.json) for (const h of held) console.log(JSON.stringify(h));
          else console.log(textTable(['held at', 'event', 'author', 'kind', 'policy', 'rule', 'reason'], held.map((h) => [when(h.at), h.id, h.pubkey.slice(0, 12), h.kind, h.policy, h.rule ?? '', h.reason])));
        }),
      ),
  );

  for (const [name, description] of [
    ['allow', 'Release a held event (or lift an event ban)'],
    ['ban', 'Remove an event for good and refuse it if it comes again'],
  ] as const) {
    cmd.addCommand(
      withDataOptions(new Command(name).description(description).argument('<event-id>', 'the event: 64 hex characters, note1… or nevent1…', eventIdArg))
        .option('--reason <text>', 'recorded with the decision')
        .option('--moderator <name>', 'who decided, recorded with the decision')
        .action((id: string, opts: DataOptions & { reason?: string; moderator?: string }) =>
          withEngine(opts, async (engine) => {
            const who = { reason: opts.reason, moderator: opts.moderator };
            const done = name === 'allow' ? await engine.allowEvent(id, who) : await engine.banEvent(id, who);
            console.log(done ? `${name === 'allow' ? 'allowed' : 'banned'} ${id}` : `nothing to ${name}: ${id} is not held or banned`);
            if (!done) process.exitCode = 1;
          }),
        ),
    );
  }
  addCaseCommands(cmd);
  return cmd;
}
