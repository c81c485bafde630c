import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { nip19 } from 'nostr-tools';
import { loadOrCreateKeyFile } from '../../relay/nostr/keyFile.ts';
import { parseSecretKey } from '../../relay/nostr/keys.ts';
import { ownPubkeys } from '../../relay/nostr/ownKeys.ts';
import { UsageError } from '../tools/filter.ts';
import { openLocal } from '../tools/local.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { isoDate } from '../tools/table.ts';
import { draftWelcomes, sendWelcomes, type WelcomeDraft } from '../tools/welcome.ts';
import type { Config } from '../../config/schema.ts';

interface Opts extends DataOptions {
  days: number;
  send?: boolean;
  key?: string;
  json?: boolean;
}

/**
 * Who signs the welcomes: a moderator's own key given with --key, else (only when
 * dvms.welcome.autoSend is on) the people DVM's key. Without either, nothing is sent.
 */
export function welcomeSigner(config: Config, opts: Pick<Opts, 'key'>): Uint8Array {
  if (opts.key) {
    let text: string;
    try {
      text = readFileSync(opts.key, 'utf8');
    } catch (err) {
      throw new UsageError(`--key ${opts.key}: ${(err as Error).message}`);
    }
    const sk = parseSecretKey(text);
    if (!sk) throw new UsageError(`--key ${opts.key} does not hold a secret key (64 hex characters or an nsec)`);
    return sk;
  }
  if (!config.dvms.welcome.autoSend) {
    throw new UsageError('not sending: dvms.welcome.autoSend is false. Read the drafts, then send with --send --key <file> (a moderator\'s own key), or set dvms.welcome.autoSend = true to sign them with the people DVM\'s key');
  }
  return loadOrCreateKeyFile(join(config.dvms.keysDir || join(config.storage.dataDir, 'dvm-keys'), 'people.key')).sk;
}

function render(d: WelcomeDraft): string {
  return [
    `newcomer ${nip19.npubEncode(d.newcomer)}`,
    `  first post ${d.post.id.slice(0, 12)} at ${isoDate(d.post.created_at)}: ${d.post.snippet}`,
    `  topics     ${d.post.topics.length > 0 ? d.post.topics.map((t) => `#${t}`).join(' ') : '(none found)'}`,
    `  draft      ${d.reply}`,
  ].join('\n');
}

export function welcomeCommand(): Command {
  return withDataOptions(
    new Command('welcome')
      .summary("Draft welcomes for newcomers' first posts, naming members they may like")
      .description(
        "For moderators: each newcomer (first event on this relay in the last --days) who has posted gets a drafted reply to their first post naming members who write about the same topics (hashtags, and the village labeler's topic labels), else the most active ones. " +
          'Only drafts unless --send: sending needs dvms.welcome.autoSend = true (signed by the people DVM\'s key) or --key <file> (a moderator\'s own key). A post already answered by that key is not welcomed twice.',
      ),
  )
    .option('--days <n>', 'newcomers of the last n days', positiveInt, 7)
    .option('--send', 'publish the welcomes (see above)')
    .option('--key <file>', 'sign with this secret key (hex or nsec in the file)')
    .option('--json', 'print JSON')
    .action((opts: Opts) =>
      runTool(async () => {
        const config = loadDataConfig(opts);
        // the database first: a missing data directory is refused before any key file is made in it
        const local = await openLocal(config, { ingest: opts.send, policies: opts.send, mustExist: true });
        try {
          const sk = opts.send ? welcomeSigner(config, opts) : undefined;
          const drafts = draftWelcomes(local.store, { days: opts.days, suggestions: config.dvms.welcome.suggestions, staff: ownPubkeys(config), relayName: config.relay.name });
          const sent = sk ? await sendWelcomes(local.store, local.relay!, drafts, sk, config.relay.url) : [];
          if (opts.json) console.log(JSON.stringify({ drafts, ...(sk ? { sent } : {}) }, null, 2));
          else {
            console.log(drafts.length === 0 ? `No newcomer has posted in the last ${opts.days} days.` : drafts.map(render).join('\n\n'));
            if (sk) for (const s of sent) console.log(`${nip19.npubEncode(s.newcomer)}: ${s.result}${s.id ? ` (${s.id})` : ''}`);
            else if (drafts.length > 0) console.log('\n(drafts only: nothing was sent)');
          }
          if (sent.some((s) => s.result.startsWith('refused'))) process.exitCode = 1;
        } finally {
          await local.close();
        }
      }),
  );
}
