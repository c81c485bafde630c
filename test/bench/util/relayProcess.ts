// Child process: runs Hamlet with the config overrides given as JSON in argv[2], prints
// "READY <url>" once listening, and closes cleanly on SIGTERM or when stdin closes (parent gone).
import { buildConfig } from '../../../config/load.ts';
import { startRelay } from '../../../cli/hamlet.ts';

const overrides = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const relay = await startRelay({ config: buildConfig(overrides) });
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
