import { droppedDefaults } from '../config/pipelines.ts';
import { configSchema, type Config } from '../config/schema.ts';
import type { Logger } from '../relay/log.ts';
import type { RelayServices } from '../relay/services.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { KIND_FOLLOWS } from '../relay/nostr/kinds.ts';
import { toHexPubkey } from '../relay/nostr/keys.ts';
import type { AuthInput, BroadcastInput, ConnectionInput, Decision, PolicyEngine, ReadInput, WriteInput } from '../relay/policy.ts';
import type { ToxicityClassifier } from './policy.ts';
import { DecisionLog, type DecisionQuery, type DecisionRecord } from './decisions.ts';
import { FileReloads } from './fileReloads.ts';
import { LiveRulebook } from './liveRulebook.ts';
import { PolicyFiles, type LoadError } from './loader.ts';
import { Moderation, type HeldEntry, type ModeratorAction } from './moderation.ts';
import { runBroadcast, runPipeline } from './pipeline.ts';
import { STAGES, type Stage } from './policy.ts';
import { DecisionRecorder } from './recorder.ts';
import { pipelineLimits } from './limits.ts';
import type { Rulebook } from './rulebook.ts';
import { closeSteps, StepBuilder, type BuiltPipelines } from './steps.ts';
import { TrustGraph } from './trust/graph.ts';
import { checkPolicies } from './validate.ts';

export type PoliciesConfig = Config['policies'];

export interface EngineOptions {
  /** The village's toxicity classifier (models/), for the toxicity built-in. */
  classifier?: ToxicityClassifier;
}

/** The engine the relay calls, plus what the CLI and NIP-86 need. */
export interface HamletPolicyEngine extends PolicyEngine {
  close(): Promise<void>;
  /** Applies a changed `policies` config section (hot keys); on error the old pipelines stay. */
  reconfigure(config: PoliciesConfig): Promise<void>;
  /** Policy files and rulebook that failed to load (the last good version is running). */
  loadErrors(): LoadError[];
  /** Reloads every operator file now (the watcher does this on change). */
  reloadFiles(): Promise<void>;
  rulebook(): Rulebook;
  readonly trust: TrustGraph;
  readonly decisions: DecisionLog;
  readonly moderation: Moderation;
  listDecisions(q?: DecisionQuery): DecisionRecord[];
  /** NIP-86 listeventsneedingmoderation. */
  listHeld(limit?: number): HeldEntry[];
  /** NIP-86 allowevent. */
  allowEvent(id: string, who?: ModeratorAction): Promise<boolean>;
  /** NIP-86 banevent. */
  banEvent(id: string, who?: ModeratorAction): Promise<boolean>;
  /** Names of the steps per stage, in order (`hamlet policies`, tests). */
  describe(): Record<Stage, string[]>;
}

type AsyncStage = Exclude<Stage, 'broadcast'>;

const DEFAULT_PIPELINES = configSchema.parse({}).policies;

/** A pipeline replaced in the config file may drop default protections: say so at every (re)build. */
function warnDroppedDefaults(c: PoliciesConfig, log: Logger): void {
  for (const note of droppedDefaults(c, DEFAULT_PIPELINES)) log.warn(note);
}

const then = <T, U>(v: T | Promise<T>, f: (t: T) => U): U | Promise<U> => (v instanceof Promise ? v.then(f) : f(v));
const dayMs = 86_400_000;

/**
 * Builds the engine from config (see policies/index.ts): a facade over the pipelines
 * (steps.ts), their decision records (recorder.ts), the live rulebook (liveRulebook.ts) and the
 * hot reload of operator files (fileReloads.ts).
 */
export async function buildEngine(services: RelayServices, options: EngineOptions = {}): Promise<HamletPolicyEngine> {
  const log: Logger = services.log.child({ module: 'policies' });
  let config = services.config.policies;
  // The same checks as `hamlet config -c`, before anything is opened: a bad section refuses the
  // start, and a reload keeps the running pipelines (reconfigure below).
  checkPolicies(config);
  warnDroppedDefaults(config, log);
  const files = new PolicyFiles(config.dir, log);
  const decisions = new DecisionLog(services.env);
  const moderation = new Moderation(services.env, decisions, services);
  const trust = new TrustGraph((pubkeys) => {
    const out: NostrEvent[] = [];
    for (let i = 0; i < pubkeys.length; i += 500) {
      const authors = pubkeys.slice(i, i + 500);
      out.push(...services.query([{ kinds: [KIND_FOLLOWS], authors, limit: authors.length }]));
    }
    return out;
  });
  const configureTrust = (c: PoliciesConfig) => trust.configure(c.members.map(toHexPubkey), c.trustMaxHops);
  configureTrust(config);

  const rulebook = new LiveRulebook(config.rulebook, files, log);
  const builder = new StepBuilder({ files, log, rulebook, services, trust, moderation, classifier: options.classifier });
  let state: BuiltPipelines;
  try {
    state = await builder.build(config);
  } catch (err) {
    rulebook.close();
    throw err;
  }
  const reloads = new FileReloads(files, log, () => state.fileSteps);
  const recorder = new DecisionRecorder(decisions, rulebook, log);

  const prune = () => void decisions.prune(Date.now() - config.decisionRetentionDays * dayMs);
  const pruneTimer = setInterval(prune, 6 * 3600_000);
  pruneTimer.unref();
  prune();

  const run = (stage: AsyncStage, input: object) => runPipeline(state.pipelines[stage], stage, input);

  return {
    connection(input: ConnectionInput) {
      return then(run('connection', input), (v) => {
        recorder.record('connection', v, { ip: input.ip });
        return v.decision as Decision;
      });
    },
    write(input: WriteInput) {
      return then(run('write', input), (v) => {
        const { event } = input;
        recorder.record('write', v, { eventId: event.id, pubkey: event.pubkey, kind: event.kind, ip: input.conn.ip });
        const d = v.decision as Decision;
        if (d.action === 'hold') {
          void moderation
            .hold({ id: event.id, at: Date.now(), pubkey: event.pubkey, kind: event.kind, policy: v.by ?? 'unknown', reason: d.reason, rule: d.rule })
            .catch((err: Error) => log.error({ err: err.message }, 'cannot record a held event'));
        }
        return d;
      });
    },
    read(input: ReadInput) {
      return then(run('read', input), (v) => {
        recorder.record('read', v, { ip: input.conn.ip, pubkey: input.conn.authed.values().next().value });
        return v.decision;
      });
    },
    broadcast(input: BroadcastInput) {
      return runBroadcast(state.pipelines.broadcast, input);
    },
    auth(input: AuthInput) {
      return then(run('auth', input), (v) => {
        recorder.record('auth', v, { pubkey: input.pubkey, ip: input.conn.ip });
        return v.decision as Decision;
      });
    },
    committed(event: NostrEvent) {
      trust.update(event);
      for (const s of state.steps) {
        const fn = s.current?.committed;
        if (!fn) continue;
        try {
          fn.call(s.current, event);
        } catch (err) {
          log.warn({ policy: s.name, err: (err as Error).message }, 'policy committed() threw');
        }
      }
    },
    async reconfigure(c: PoliciesConfig) {
      checkPolicies(c);
      const next = await builder.build(c);
      warnDroppedDefaults(c, log);
      if (c.rulebook !== config.rulebook) {
        try {
          rulebook.use(c.rulebook);
        } catch (err) {
          await closeSteps(next.steps, log);
          throw err;
        }
      }
      const old = state;
      state = next;
      config = c;
      configureTrust(c);
      await closeSteps(old.steps, log);
    },
    loadErrors: () => [...files.errors.values()],
    reloadFiles: () => reloads.reloadAll(),
    rulebook: () => rulebook,
    trust,
    decisions,
    moderation,
    listDecisions: (q) => decisions.list(q),
    hiddenAuthors: () => moderation.bannedAuthors(),
    // Every write and read step applies to all it judges, so their limits are the relay's too (NIP-11).
    limits: () => pipelineLimits([...state.pipelines.write, ...state.pipelines.read]),
    moderator: moderation,
    listHeld: (limit) => moderation.listHeld(limit),
    allowEvent: (id, who) => moderation.allowEvent(id, who),
    banEvent: (id, who) => moderation.banEvent(id, who),
    describe: () => Object.fromEntries(STAGES.map((s) => [s, state.pipelines[s].map((st) => st.name)])) as Record<Stage, string[]>,
    async close() {
      clearInterval(pruneTimer);
      files.close();
      rulebook.close();
      await reloads.settled();
      await closeSteps(state.steps, log);
    },
  };
}
