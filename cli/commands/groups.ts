import { Command } from 'commander';
import { admins, DigestRefused, digestRefusal, draftDigest, readGroups, renderDigest, type Group } from '../../groups/index.ts';
import { openModels } from '../../models/index.ts';
import { openStore } from '../../relay/core.ts';
import type { Store } from '../../relay/store/store.ts';
import { toolLogger } from '../tools/local.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { isoDate, textTable } from '../tools/table.ts';

interface Opts extends DataOptions {
  json?: boolean;
  all?: boolean;
  days: number;
  top: number;
}

const flags = (g: Group): string => [g.private ? 'private' : 'public', g.closed ? 'closed' : 'open', ...(g.hidden ? ['hidden'] : []), `ai ${g.ai ? 'allow' : 'deny'}`, ...(g.deleted ? ['DELETED'] : [])].join(', ');

/** Reads the groups of the data directory (the relay may be running). */
async function withGroups<T>(opts: DataOptions, body: (groups: Map<string, Group>, store: Store) => Promise<T>): Promise<T> {
  const config = loadDataConfig(opts);
  const store = openStore(config, { mustExist: true });
  try {
    return await body(readGroups(store.env), store);
  } finally {
    await store.close();
  }
}

function groupOrFail(groups: Map<string, Group>, id: string): Group {
  const g = groups.get(id);
  if (!g) throw new Error(`no group "${id}" in this database (hamlet groups list shows them)`);
  return g;
}

/** `hamlet groups`: the NIP-29 groups the relay hosts, one group in detail, and a weekly digest drafted for its admins. */
export function groupsCommand(): Command {
  const cmd = new Command('groups').summary('NIP-29 groups: list, show one, draft a weekly digest').description(
    'The NIP-29 groups the relay hosts (groups/README.md): their flags, members and roles, and for a group whose admins let the ' +
      "village's models read it, a digest of the week's threads drafted for an admin to edit and post (never published by the relay).",
  );
  cmd.addCommand(
    withDataOptions(new Command('list').description('Every group: id, name, flags, members'))
      .option('--all', 'include deleted groups')
      .option('--json', 'print JSON')
      .action((opts: Opts) =>
        runTool(() =>
          withGroups(opts, async (groups) => {
            const list = [...groups.values()].filter((g) => opts.all || !g.deleted).sort((a, b) => a.id.localeCompare(b.id));
            if (opts.json) return void console.log(JSON.stringify(list, null, 2));
            if (list.length === 0) return void console.log('no groups');
            console.log(textTable(['id', 'name', 'flags', 'members', 'created'], list.map((g) => [g.id, g.name, flags(g), Object.keys(g.members).length, isoDate(g.createdAt)])));
          }),
        ),
      ),
  );
  cmd.addCommand(
    withDataOptions(new Command('show').description('One group: metadata, flags, roles, members, its own rules').argument('<id>', 'group id'))
      .option('--json', 'print JSON')
      .action((id: string, opts: Opts) =>
        runTool(() =>
          withGroups(opts, async (groups) => {
            const g = groupOrFail(groups, id);
            if (opts.json) return void console.log(JSON.stringify(g, null, 2));
            const out = [`${g.id}: ${g.name}`, `  ${flags(g)}`, ...(g.about ? [`  ${g.about}`] : []), `  created ${isoDate(g.createdAt)} by ${g.createdBy}`];
            out.push('', textTable(['member', 'roles'], Object.entries(g.members).map(([pk, roles]) => [pk, roles.join(', ')])));
            out.push('', `admins: ${admins(g).length}, invite codes: ${Object.keys(g.invites).length}, removed: ${Object.keys(g.removed).length}`);
            if (g.rules.length > 0) out.push('', 'rules of its own:', ...g.rules.map((r) => `  group:${g.id}/${r.id}  ${r.text}`));
            console.log(out.join('\n'));
          }),
        ),
      ),
  );
  cmd.addCommand(
    withDataOptions(new Command('digest').description("Draft the weekly digest of a group's threads for an admin (a group that opted in only)").argument('<id>', 'group id'))
      .option('--days <n>', 'days the digest covers', positiveInt, 7)
      .option('--top <n>', 'threads in the digest', positiveInt, 5)
      .option('--json', 'print JSON')
      .action((id: string, opts: Opts) =>
        runTool(() =>
          withGroups(opts, async (groups, store) => {
            const group = groupOrFail(groups, id);
            const until = Math.floor(Date.now() / 1000);
            const since = until - opts.days * 86_400;
            const events = store.query([{ tags: new Map([['h', [id]]]), since, limit: 100_000 }], { now: until }).map((r) => r.event());
            const config = loadDataConfig(opts);
            const refused = digestRefusal(group);
            if (refused) throw new DigestRefused(refused);
            const models = await openModels(config.models, { log: toolLogger(config) });
            try {
              const digest = await draftDigest({ group, events, embedder: models.embedder, since, until, top: opts.top });
              console.log(opts.json ? JSON.stringify(digest, null, 2) : `${renderDigest(digest)}\n\n(draft for an admin of ${id}: edit it and post it to the group yourself; nothing was published)`);
            } finally {
              await models.close();
            }
          }),
        ),
      ),
  );
  return cmd;
}
