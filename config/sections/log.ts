import { z } from 'zod';

export const logSection = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.').meta({ hot: true }),
    pretty: z.enum(['auto', 'always', 'never']).default('auto').describe('Human-readable logs (auto: when stdout is a terminal).'),
  })
  .strict();
