import { Command } from 'commander';
import { commands } from './commands/index.ts';
import { reportError } from './tools/options.ts';
import { VERSION } from '../relay/nip11.ts';

const program = new Command('hamlet')
  .description('Hamlet: a Nostr relay for a village that owns its own AI')
  .version(VERSION, '-V, --version', 'print the version')
  .showHelpAfterError();

for (const make of commands) program.addCommand(make());

// Whatever a command did not handle is one line on stderr and exit code 1, never a stack trace
// (HAMLET_DEBUG=1 prints it).
process.on('uncaughtException', (err) => {
  reportError(err);
  process.exit(1);
});
try {
  await program.parseAsync(process.argv);
} catch (err) {
  reportError(err);
}
