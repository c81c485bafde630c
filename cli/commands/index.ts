import type { Command } from 'commander';
import { startCommand } from './start.ts';
import { configCommand } from './config.ts';
import { modelsCommand } from './models.ts';
import { trainCommand } from './train.ts';
import { importCommand } from './import.ts';
import { exportCommand } from './export.ts';
import { scanCommand } from './scan.ts';
import { deleteCommand } from './delete.ts';
import { syncCommand } from './sync.ts';
import { workerCommand } from './worker.ts';
import { statsCommand } from './stats.ts';
import { compactCommand } from './compact.ts';
import { backupCommand } from './backup.ts';
import { restoreCommand } from './restore.ts';
import { insightsCommand } from './insights.ts';
import { moderationCommand } from './moderation.ts';
import { datasetCommand } from './dataset.ts';
import { groupsCommand } from './groups.ts';
import { welcomeCommand } from './welcome.ts';

/** Every `hamlet` subcommand, one file each. */
export const commands: (() => Command)[] = [startCommand, configCommand, modelsCommand, trainCommand, importCommand, exportCommand, scanCommand, deleteCommand, syncCommand, workerCommand, statsCommand, compactCommand, backupCommand, restoreCommand, insightsCommand, moderationCommand, datasetCommand, welcomeCommand, groupsCommand];
