// Child process: runs Hamlet with the config overrides given as JSON in argv[2], prints
// "READY <url>" once listening, and closes cleanly on SIGTERM or when stdin closes (parent gone).
import { buildConfig } from '../../../config/load.ts';
import type { Config } from '../../../config/schema.ts';
import { startRelay } from '../../../cli/hamlet.ts';

/** The built-ins that key on the client address, and so would throttle a load generator. */
const ADDRESS_KEYED = new Set(['rateLimit', 'duplicates']);

/**
 * The load generator runs on loopback, which nothing exempts by default: exempt it as an operator
 * exempts their own tools, in each address-keyed step that names no exemptIps of its own (the
 * flood scenario names [] to be limited).
 */
function exemptLoadGenerator(config: Config): Config {
  const exempt = (entries: Config['policies']['write']) =>
    entries.map((e) => (ADDRESS_KEYED.has(e.use) && !('exemptIps' in e.options) ? { ...e, options: { ...e.options, exemptIps: ['loopback'] } } : e));
  const p = config.policies;
  return { ...config, policies: { ...p, connection: exempt(p.connection), write: exempt(p.write), read: exempt(p.read) } };
}

const overrides = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const relay = await startRelay({ config: exemptLoadGenerator(buildConfig(overrides)) });
process.stdout.write(`READY ${relay.url}\n`);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  await relay.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.stdin.on('end', () => void shutdown());
process.stdin.on('close', () => void shutdown());
process.stdin.resume();
