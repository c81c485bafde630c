/**
 * Mirroring with other relays (issue 22): the streams configured under [streams], each a set of
 * MirrorLinks (one per relay). See federation/README.md.
 */
import type { Config } from '../config/schema.ts';
import type { Logger } from '../relay/log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Filter, NostrEvent } from '../relay/nostr/types.ts';
import { parseFilter } from '../relay/nostr/filter.ts';
import { isProtected } from '../relay/nostr/tags.ts';
import { isEphemeral, PRIVATE_KINDS } from '../relay/nostr/kinds.ts';
import { MirrorLink, type MirrorLinkStatus } from './mirrorLink.ts';
import { openMirrorStatus } from './status.ts';

export type { MirrorLinkStatus } from './mirrorLink.ts';
export { MIRROR_STATUS_DB, openMirrorStatus, readMirrorStatus } from './status.ts';

const UNBOUNDED = { maxLimit: Number.MAX_SAFE_INTEGER, defaultLimit: Number.MAX_SAFE_INTEGER, maxFilterValues: Number.MAX_SAFE_INTEGER };

/** A [streams] filter as the relay's Filter (checked by the config schema already). */
export function mirrorFilter(raw: Record<string, unknown>): Filter {
  const parsed = parseFilter(raw, UNBOUNDED);
  if ('error' in parsed) throw new Error(parsed.error);
  const { limit: _limit, ...filter } = parsed.filter;
  return filter;
}

/** What may leave the village for another relay: public, non-ephemeral, unprotected events only. */
export function mayLeave(config: () => Config): (event: NostrEvent) => boolean {
  return (e) => !PRIVATE_KINDS.includes(e.kind) && !config().nips.restrictedKinds.includes(e.kind) && !isEphemeral(e.kind) && !isProtected(e);
}

export interface RunningMirrors {
  links: MirrorLink[];
  status(): MirrorLinkStatus[];
  stop(): Promise<void>;
}

/** How often link status is written to LMDB at most. */
const STATUS_WRITE_MS = 2000;

/** Starts every configured stream; resolves at once (links connect and retry on their own). */
export function startMirrors(config: Config, relay: Relay, log: Logger): RunningMirrors | undefined {
  const { streams } = config;
  if (streams.mirrors.length === 0) return undefined;
  const db = openMirrorStatus(relay.store.env);
  const key = (stream: string, url: string) => `${stream} ${url}`;
  const links: MirrorLink[] = [];
  let dirty = false;
  const write = () => {
    if (!dirty) return;
    dirty = false;
    for (const l of links) void db.put(key(l.status.stream, l.status.relay), { ...l.status });
  };
  const writer = setInterval(write, STATUS_WRITE_MS);
  writer.unref();
  for (const mirror of streams.mirrors) {
    const filter = mirrorFilter(mirror.filter);
    const downKinds = filter.kinds?.filter((k) => !PRIVATE_KINDS.includes(k));
    const downFilter = downKinds?.length === 0 ? undefined : { ...filter, ...(downKinds ? { kinds: downKinds } : {}) };
    const submit =
      mirror.policies === 'write'
        ? (raw: unknown) => relay.submit(raw, 'sync')
        : (raw: unknown) => relay.submit(raw, 'sync', undefined, { skipPolicies: true });
    for (const url of mirror.relays) {
      links.push(
        new MirrorLink({
          mirror,
          filter,
          downFilter,
          url,
          store: relay.store,
          log,
          submit,
          mayLeave: mayLeave(() => relay.config),
          reconnectMinSeconds: streams.reconnectMinSeconds,
          reconnectMaxSeconds: streams.reconnectMaxSeconds,
          upQueueMax: streams.upQueueMax,
          lastContact: () => db.get(key(mirror.name, url))?.lastContact,
          onChange: () => (dirty = true),
        }),
      );
    }
  }
  const unsubscribe = relay.onCommitted((event) => {
    const json = JSON.stringify(event);
    for (const l of links) l.offer(event, json);
  });
  for (const l of links) l.start();
  log.info({ streams: streams.mirrors.map((m) => `${m.name} (${m.direction}: ${m.relays.join(', ')})`) }, `mirrors: ${links.length} link${links.length === 1 ? '' : 's'} to other relays`);
  return {
    links,
    status: () => links.map((l) => ({ ...l.status })),
    async stop() {
      unsubscribe();
      for (const l of links) l.stop();
      clearInterval(writer);
      dirty = true;
      write();
      await relay.store.env.flushed;
    },
  };
}
