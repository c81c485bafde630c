import { pino, type Logger } from 'pino';
import type { Config } from '../config/schema.ts';

export type { Logger } from 'pino';

/** One pino logger for the process; pretty only for people at a terminal. */
export function createLogger(config: Pick<Config, 'log'>, destination?: NodeJS.WritableStream): Logger {
  const pretty = config.log.pretty === 'always' || (config.log.pretty === 'auto' && process.stdout.isTTY === true);
  if (pretty && !destination) {
    return pino({ level: config.log.level, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino({ level: config.log.level }, destination ?? process.stdout);
}
