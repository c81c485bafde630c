import { Command } from 'commander';
import { commands } from './commands/index.ts';

const program = new Command('hamlet')
  .description('Hamlet: a Nostr relay for a village that owns its own AI')
  .showHelpAfterError();

for (const make of commands) program.addCommand(make());

await program.parseAsync(process.argv);
