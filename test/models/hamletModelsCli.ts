// Test driver: `hamlet` with only the models and train commands, so their tests need no other
// command to exist. Run as: node --import tsx test/models/hamletModelsCli.ts models list ...
import { Command } from 'commander';
import { modelsCommand } from '../../cli/commands/models.ts';
import { trainCommand } from '../../cli/commands/train.ts';

await new Command('hamlet').addCommand(modelsCommand()).addCommand(trainCommand()).parseAsync(process.argv);
