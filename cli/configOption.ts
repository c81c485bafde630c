import { ConfigError } from '../config/load.ts';

/** Config errors end the process with exit code 2 and one line per bad key, never a stack trace. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`hamlet: configuration error\n${err.message.replace(/^/gm, '  ')}\n`);
    process.exit(2);
  }
}
