import type { Command } from 'commander';

/**
 * Every `hamlet` subcommand by name, one file each, in the order help lists them. Each loads only
 * when run (a chunk of the bundle): `hamlet start` never loads what the other commands import.
 */
export const commands = new Map<string, () => Promise<Command>>([
  ['start', async () => (await import('./start.ts')).startCommand()],
  ['config', async () => (await import('./config.ts')).configCommand()],
  ['models', async () => (await import('./models.ts')).modelsCommand()],
  ['train', async () => (await import('./train.ts')).trainCommand()],
  ['import', async () => (await import('./import.ts')).importCommand()],
  ['export', async () => (await import('./export.ts')).exportCommand()],
  ['scan', async () => (await import('./scan.ts')).scanCommand()],
  ['delete', async () => (await import('./delete.ts')).deleteCommand()],
  ['sync', async () => (await import('./sync.ts')).syncCommand()],
  ['worker', async () => (await import('./worker.ts')).workerCommand()],
  ['stats', async () => (await import('./stats.ts')).statsCommand()],
  ['compact', async () => (await import('./compact.ts')).compactCommand()],
  ['backup', async () => (await import('./backup.ts')).backupCommand()],
  ['restore', async () => (await import('./restore.ts')).restoreCommand()],
  ['insights', async () => (await import('./insights.ts')).insightsCommand()],
  ['moderation', async () => (await import('./moderation.ts')).moderationCommand()],
  ['dataset', async () => (await import('./dataset.ts')).datasetCommand()],
  ['welcome', async () => (await import('./welcome.ts')).welcomeCommand()],
  ['groups', async () => (await import('./groups.ts')).groupsCommand()],
]);
