import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics, served at /metrics. Names follow strfry's where strfry has
 * one (dashboards built for strfry keep working); Hamlet's own start with hamlet_. Hot paths use
 * the pre-bound children and helpers below, so counting costs no label lookup or string building.
 * Metrics are per process and reset on restart, as strfry's are.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });
const registers = [registry];

export const clientMessages = new Counter({
  name: 'nostr_client_messages_total',
  help: 'Total number of Nostr client messages by verb',
  labelNames: ['verb'] as const,
  registers,
});
export const relayMessages = new Counter({
  name: 'nostr_relay_messages_total',
  help: 'Total number of Nostr relay messages by verb',
  labelNames: ['verb'] as const,
  registers,
});
export const eventsByKind = new Counter({
  name: 'nostr_events_total',
  help: 'Total number of Nostr events persisted to the DB, by kind (private kinds: DMs, seals, rumors, gift wraps are not counted)',
  labelNames: ['kind'] as const,
  registers,
});
export const writtenEvents = new Counter({ name: 'strfry_write_events_total', help: 'Total events written to DB (private kinds not counted)', registers });
export const rejectedEvents = new Counter({ name: 'strfry_write_rejected_total', help: 'Total events rejected during write', registers });
export const duplicateEvents = new Counter({ name: 'strfry_write_dups_total', help: 'Total duplicate events skipped', registers });
export const writeTimeMicroseconds = new Counter({
  name: 'strfry_write_time_microseconds_total',
  help: 'Total time in write transactions',
  registers,
});
export const lastWriteBatchSize = new Gauge({ name: 'strfry_write_batch_size', help: 'Size of last write batch', registers });
export const connections = new Gauge({ name: 'strfry_connections_current', help: 'Current number of active WebSocket connections', registers });
export const slowClientTerminations = new Counter({
  name: 'strfry_slow_client_terminations_total',
  help: 'Connections closed for exceeding limits.maxOutboundBytes',
  registers,
});

export const rejectionsByPrefix = new Counter({
  name: 'hamlet_events_rejected_total',
  help: 'Events answered OK false, by the prefix of the reason (invalid, blocked, rate-limited, ...)',
  labelNames: ['prefix'] as const,
  registers,
});
export const writeBatches = new Histogram({
  name: 'hamlet_write_batch_events',
  help: 'Events (and other mutations) per LMDB write transaction',
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
  registers,
});
export const writeBatchSeconds = new Histogram({
  name: 'hamlet_write_batch_seconds',
  help: 'Time of one LMDB write transaction including the flush to disk',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers,
});
export const policyDecisions = new Counter({
  name: 'hamlet_policy_decisions_total',
  help: 'Non-accept policy decisions by stage, policy, rule and action',
  labelNames: ['stage', 'policy', 'rule', 'action'] as const,
  registers,
});
export const modelInferenceSeconds = new Histogram({
  name: 'hamlet_model_inference_seconds',
  help: 'Time of one model call (a batch of texts), by model and task',
  labelNames: ['model', 'task'] as const,
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers,
});
export const dvmJobs = new Counter({
  name: 'hamlet_dvm_jobs_total',
  help: 'NIP-90 jobs by request kind and outcome (success, error, cached, ...)',
  labelNames: ['kind', 'outcome'] as const,
  registers,
});
export const dvmJobSeconds = new Histogram({
  name: 'hamlet_dvm_job_seconds',
  help: 'Time from a NIP-90 request to its result, by request kind',
  labelNames: ['kind'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});
export const configReloads = new Counter({
  name: 'hamlet_config_reloads_total',
  help: 'Config file reloads by result (applied, unchanged, invalid)',
  labelNames: ['result'] as const,
  registers,
});

// A cluster node (cluster/) and mirrors to other relays (federation/).
export const clusterStreamUp = new Gauge({ name: 'hamlet_cluster_stream_up', help: '1 while this node reaches the cluster\'s Redis stream, else 0', registers });
export const clusterEvents = new Counter({
  name: 'hamlet_cluster_events_total',
  help: 'Events through the cluster stream: published by this node, received from others (stored, duplicate, rejected), publish failures',
  labelNames: ['outcome'] as const,
  registers,
});
export const clusterPublishSeconds = new Histogram({
  name: 'hamlet_cluster_publish_seconds',
  help: 'Time from commit to Redis taking an event (what the stream adds to an OK)',
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
  registers,
});
export const clusterPeerSyncs = new Counter({
  name: 'hamlet_cluster_peer_syncs_total',
  help: 'NIP-77 reconciliations with cluster peers, by result (ok, failed)',
  labelNames: ['result'] as const,
  registers,
});
export const mirrorConnected = new Gauge({
  name: 'hamlet_mirror_connected',
  help: '1 while the mirror stream is connected to the relay, else 0',
  labelNames: ['stream', 'relay'] as const,
  registers,
});
export const mirrorEvents = new Counter({
  name: 'hamlet_mirror_events_total',
  help: 'Events through mirror streams, by stream, direction (down, up) and outcome (stored, duplicate, rejected, sent, refused, dropped)',
  labelNames: ['stream', 'direction', 'outcome'] as const,
  registers,
});

type CounterChild = ReturnType<Counter['labels']>;

const CLIENT_VERBS = ['EVENT', 'REQ', 'COUNT', 'CLOSE', 'AUTH', 'NEG-OPEN', 'NEG-MSG', 'NEG-CLOSE'];
const clientVerb = new Map<string, CounterChild>(CLIENT_VERBS.map((v) => [v, clientMessages.labels(v)]));
// Unknown verbs share one label: a client must not be able to create series at will.
const clientOther = clientMessages.labels('other');

/** One client frame with this verb (known verbs; everything else counts as "other"). */
export function countClientMessage(verb: string): void {
  (clientVerb.get(verb) ?? clientOther).inc();
}

/** Pre-bound relay → client verbs. */
export const relayMessage = {
  EVENT: relayMessages.labels('EVENT'),
  OK: relayMessages.labels('OK'),
  EOSE: relayMessages.labels('EOSE'),
  CLOSED: relayMessages.labels('CLOSED'),
  NOTICE: relayMessages.labels('NOTICE'),
  AUTH: relayMessages.labels('AUTH'),
  COUNT: relayMessages.labels('COUNT'),
  NEG_MSG: relayMessages.labels('NEG-MSG'),
  NEG_ERR: relayMessages.labels('NEG-ERR'),
};

const byKind: CounterChild[] = [];
/**
 * An event durably stored (strfry counts nostr_events_total at the same point). Private kinds
 * are left out of both counters: how many DMs or gift wraps a relay receives, and when, is
 * nobody's business, and a total minus the per-kind sum would tell it.
 */
export function countStored(kind: number, isPrivate: boolean): void {
  if (isPrivate) return;
  (byKind[kind] ??= eventsByKind.labels(String(kind))).inc();
  writtenEvents.inc();
}

const PREFIXES = ['invalid', 'blocked', 'rate-limited', 'restricted', 'auth-required', 'pow', 'error', 'duplicate', 'mute'];
const byPrefix = new Map<string, CounterChild>(PREFIXES.map((p) => [p, rejectionsByPrefix.labels(p)]));
const otherPrefix = rejectionsByPrefix.labels('other');

/** The outcome of one submitted event, as its OK says. */
export function countIngest(ok: boolean, message: string): void {
  if (ok) {
    if (message.startsWith('duplicate:')) duplicateEvents.inc();
    return;
  }
  rejectedEvents.inc();
  (byPrefix.get(message.slice(0, message.indexOf(':'))) ?? otherPrefix).inc();
}

/** One committed write transaction. */
export function recordWriteBatch(size: number, seconds: number): void {
  lastWriteBatchSize.set(size);
  writeTimeMicroseconds.inc(Math.round(seconds * 1e6));
  writeBatches.observe(size);
  writeBatchSeconds.observe(seconds);
}

const decisionChildren = new Map<string, CounterChild>();
/** A non-accept decision (only these are counted: accepts are the events themselves). */
export function countDecision(stage: string, policy: string, rule: string | undefined, action: string): void {
  const key = `${stage}\u0000${policy}\u0000${rule ?? ''}\u0000${action}`;
  let child = decisionChildren.get(key);
  if (!child) decisionChildren.set(key, (child = policyDecisions.labels(stage, policy, rule ?? '', action)));
  child.inc();
}

/** Times one model call: `const done = timeInference(model, 'classify'); ...; done()`. */
export function timeInference(model: string, task: string): () => void {
  return modelInferenceSeconds.startTimer({ model, task }) as () => void;
}

/** For the DVM runtime: one finished job (outcome e.g. success, error, cached, rejected). */
export function countDvmJob(kind: number, outcome: string, seconds?: number): void {
  dvmJobs.labels(String(kind), outcome).inc();
  if (seconds !== undefined) dvmJobSeconds.labels(String(kind)).observe(seconds);
}
