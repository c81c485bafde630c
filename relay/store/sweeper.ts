import type { Logger } from '../log.ts';
import type { Store } from './store.ts';

/** NIP-40: expired events are hidden at once by readers; this purges them from disk periodically. */
export function startExpirySweeper(store: Store, everySeconds: number, log: Logger): { stop(): void } {
  const timer = setInterval(() => {
    store
      .sweepExpired(Math.floor(Date.now() / 1000))
      .then((n) => n > 0 && log.info({ removed: n }, 'expired events purged'))
      .catch((err: unknown) => log.error({ err }, 'expiry sweep failed'));
  }, everySeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
