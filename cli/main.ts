import { Command } from 'commander';
import { commands } from './commands/index.ts';
import { VERSION } from '../relay/nip11.ts';

const program = new Command('hamlet')
  .description('Hamlet: a Nostr relay for a village that owns its own AI')
  .version(VERSION, '-V, --version', 'print the version')
  .showHelpAfterError();

for (const make of commands) program.addCommand(make());

await program.parseAsync(process.argv);
