import { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { exitOnConfigError } from '../configOption.ts';
import { createLogger } from '../../relay/log.ts';
import { openModels } from '../../models/index.ts';
import { safeRedisUrl, startModelWorker } from '../../cluster/index.ts';
import { positiveInt } from '../tools/options.ts';

/** `hamlet worker`: a model node of a cluster, taking jobs from the BullMQ queue beside the stream. */
export function workerCommand(): Command {
  return new Command('worker')
    .summary('Run model jobs for the cluster (a worker node)')
    .description(
      'Take model jobs (embeddings, classifications) from the cluster\'s queue (cluster.redisUrl, cluster.jobQueue) and run them on this machine\'s models (the [models] section), ' +
        'so inference runs beside the relays rather than on them. Stops on SIGTERM or SIGINT after the jobs in hand.',
    )
    .option('-c, --config <file>', 'TOML config file (default: $HAMLET_CONFIG, then config/default.toml)')
    .option('--concurrency <n>', 'jobs run at once', positiveInt, 2)
    .action(async (opts: { config?: string; concurrency: number }) => {
      const config = exitOnConfigError(() => loadConfig({ file: opts.config }));
      const log = createLogger(config);
      const models = await openModels(config.models, { log });
      let worker: Awaited<ReturnType<typeof startModelWorker>>;
      try {
        worker = await startModelWorker({ redisUrl: config.cluster.redisUrl, name: config.cluster.jobQueue, models, concurrency: opts.concurrency, log });
      } catch (err) {
        process.stderr.write(`hamlet: cannot join the job queue at ${safeRedisUrl(config.cluster.redisUrl)}: ${(err as Error).message}\n`);
        await models.close();
        process.exit(1);
      }
      const stop = () => {
        log.info(worker.done, 'model worker stopping');
        void worker
          .close()
          .then(() => models.close())
          .then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
