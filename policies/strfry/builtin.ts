import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { StrfryPlugin } from './plugin.ts';

const options = z
  .object({
    command: z.string().min(1).describe('The plugin executable (relative to policies.dir), or a shell command line.'),
    env: z.record(z.string(), z.string()).default({}).describe('Extra environment variables for the plugin.'),
    restartDelayMs: z.number().int().min(1).default(100).describe('First restart delay after a crash (doubles, up to 5 s).'),
  })
  .strict();

/** A strfry write-policy plugin as a write policy (see plugin.ts). */
export const strfry = defineBuiltin({
  name: 'strfry',
  description: 'Runs a strfry write-policy plugin executable unchanged.',
  options,
  create: (o, ctx) => {
    const dir = resolve(ctx.dir);
    const local = resolve(dir, o.command);
    const command = !o.command.includes(' ') && !isAbsolute(o.command) && existsSync(local) ? local : o.command;
    // strfry runs plugins from its own directory; ours is the policy directory when there is one.
    const cwd = existsSync(dir) ? dir : process.cwd();
    const plugin = new StrfryPlugin({ command, cwd, env: o.env, restartDelayMs: o.restartDelayMs, log: ctx.log });
    return { write: (input) => plugin.decide(input), close: () => plugin.close() };
  },
});
