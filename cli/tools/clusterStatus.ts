import { clusterStatus, type ClusterView } from '../../cluster/index.ts';

export { clusterStatus };
import { readMirrorStatus, type MirrorLinkStatus } from '../../federation/index.ts';
import type { Store } from '../../relay/store/store.ts';
import { isoDate, textTable } from './table.ts';

/** Each mirror link's last recorded status (written by the running relay). */
export function mirrorStatus(store: Store): MirrorLinkStatus[] {
  return readMirrorStatus(store.env);
}

const ago = (ms: number | undefined): string => (ms === undefined ? '-' : `${Math.max(0, Math.round((Date.now() - ms) / 1000))} s ago`);

export function clusterTable(view: ClusterView | { error: string }): string {
  if ('error' in view) return `cluster: ${view.error}`;
  const rows = view.nodes.map((n) => [
    n.node,
    n.url ?? '-',
    n.silentSeconds === undefined ? 'never seen' : n.silentSeconds > 15 ? `silent ${n.silentSeconds} s` : n.streamUp ? 'up' : 'no stream',
    n.published ?? '-',
    n.received ?? '-',
    n.pending ?? '-',
    n.lag ?? '-',
    n.backlog ?? '-',
    (n.peers ?? []).map((p) => `${p.url} ${p.error ? `failed: ${p.error}` : `ok ${ago(p.lastSuccess)}`}`).join('; ') || '-',
  ]);
  return `cluster: stream ${view.stream}, ${view.length} entries, ${view.nodes.length} nodes\n` + textTable(['node', 'address', 'state', 'published', 'received', 'pending', 'lag', 'backlog', 'peers (NIP-77)'], rows);
}

export function mirrorTable(links: MirrorLinkStatus[]): string {
  const rows = links.map((l) => [
    l.stream,
    l.relay,
    l.direction,
    l.connected ? `up since ${isoDate(l.connectedSince)}` : `down${l.lastError ? `: ${l.lastError}` : ''}`,
    isoDate(l.lastContact),
    `${l.down.stored} stored, ${l.down.duplicate} dup, ${l.down.rejected} refused`,
    `${l.up.sent} sent, ${l.up.refused} refused, ${l.up.queued} queued, ${l.up.dropped} dropped`,
    l.catchUp ? `${l.catchUp.via} ${isoDate(l.catchUp.at)}: ${l.catchUp.fetched} in, ${l.catchUp.sent} out${l.catchUp.error ? ` (${l.catchUp.error})` : ''}` : '-',
  ]);
  return 'mirrors (as the relay last recorded them)\n' + textTable(['stream', 'relay', 'dir', 'state', 'last contact', 'down', 'up', 'last catch-up'], rows);
}
