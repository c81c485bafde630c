import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
import { VERSION } from '../relay/nip11.ts';
import { reportError } from './tools/options.ts';

const program = new Command('hamlet')
  .description('Hamlet: a Nostr relay for a village that owns its own AI')
  .version(VERSION, '-V, --version', 'print the version')
  .showHelpAfterError();

// Only the command named on the command line is loaded; help, --version and mistakes load them all.
const named = process.argv.slice(2).find((a) => !a.startsWith('-'));
const wanted = named !== undefined && commands.has(named) ? [named] : [...commands.keys()];
for (const command of await Promise.all(wanted.map((n) => commands.get(n)!()))) program.addCommand(command);

// A mistake on the command line (unknown command or option, an argument that does not parse)
// exits 2, as usage errors do; commander has printed the message already.
const overrideExit = (c: Command): void => {
  c.exitOverride();
  c.commands.forEach(overrideExit);
};
overrideExit(program);

// Whatever a command did not handle is one line on stderr and exit code 1, never a stack trace
// (HAMLET_DEBUG=1 prints it).
process.on('uncaughtException', (err) => {
  reportError(err);
  process.exit(1);
});
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  reportError(err);
}
