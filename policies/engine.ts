import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Config } from '../config/schema.ts';
import { policyEntry, type PolicyEntry } from '../config/sections/policies.ts';
import type { Logger } from '../relay/log.ts';
import type { RelayServices } from '../relay/services.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { builtins } from './builtin/index.ts';
import type { ToxicityClassifier } from './builtin/toxicity.ts';
import { ACCEPT } from './decide.ts';
import { DecisionLog, type DecisionQuery, type DecisionRecord } from './decisions.ts';
import { PolicyFiles, type LoadError } from './loader.ts';
import { WorkerPolicy } from './isolate/workerPolicy.ts';
import { Moderation, type HeldEntry, type ModeratorAction } from './moderation.ts';
import { runBroadcast, runPipeline, stepAsPolicy, type Step, type Verdict } from './pipeline.ts';
import type { Policy, PolicyContext, PolicyModule, Stage } from './policy.ts';
import { DEFAULT_RULEBOOK_PATH, loadRulebook, type Rule, type Rulebook } from './rulebook.ts';
import { TrustGraph } from './trust/graph.ts';
import { toHexPubkey } from '../relay/nostr/keys.ts';
import { countDecision } from '../relay/metrics/registry.ts';
import type { AuthInput, BroadcastInput, ConnectionInput, Decision, PolicyEngine, ReadDecision, ReadInput, WriteInput } from '../relay/policy.ts';

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

type Pipelines = Record<Stage, Step[]>;
type AsyncStage = Exclude<Stage, 'broadcast'>;

const then = <T, U>(v: T | Promise<T>, f: (t: T) => U): U | Promise<U> => (v instanceof Promise ? v.then(f) : f(v));

/** Builds the engine from config; see policies/index.ts. */
export async function buildEngine(services: RelayServices, options: EngineOptions = {}): Promise<HamletPolicyEngine> {
  const log: Logger = services.log.child({ module: 'policies' });
  let config = services.config.policies;
  const files = new PolicyFiles(config.dir, log);
  const decisions = new DecisionLog(services.env);
  const moderation = new Moderation(services.env, decisions, services);
  const trust = new TrustGraph((pubkeys) => {
    const out: NostrEvent[] = [];
    for (let i = 0; i < pubkeys.length; i += 500) {
      const authors = pubkeys.slice(i, i + 500);
      out.push(...services.query([{ kinds: [3], authors, limit: authors.length }]));
    }
    return out;
  });

  // The rulebook, live: contexts read through this so an edit applies to running policies.
  let book: Rulebook = loadRulebook(config.rulebook || DEFAULT_RULEBOOK_PATH);
  const liveBook: Rulebook = {
    get path() {
      return book.path;
    },
    get rules(): readonly Rule[] {
      return book.rules;
    },
    get: (id) => book.get(id),
  };
  let bookWatcher: FSWatcher | undefined;
  const watchBook = () => {
    bookWatcher?.close();
    bookWatcher = undefined;
    try {
      // The directory, not the file: editors replace files on save, which ends a file watch.
      bookWatcher = watch(dirname(book.path), (_e, name) => {
        if (name?.toString() !== basename(book.path)) return;
        try {
          book = loadRulebook(book.path);
          files.loaded(book.path);
          log.info({ rules: book.rules.length }, 'rulebook reloaded');
        } catch (err) {
          files.failed(book.path, err);
        }
      });
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'cannot watch the rulebook');
    }
  };
  watchBook();

  const configureTrust = (c: PoliciesConfig) => trust.configure(c.members.map(toHexPubkey), c.trustMaxHops);
  configureTrust(config);

  // Every step built (nested ones included): committed() and close() reach them all.
  let allSteps: Step[] = [];
  /** File-backed steps: `use` → steps and how to rebuild their policy. */
  let fileSteps: Array<{ use: string; step: Step; load(file: string): Promise<Policy> }> = [];

  const banStep: Step = {
    name: 'moderation',
    timeoutMs: 1000,
    onError: 'reject',
    log,
    current: {
      write: ({ event }) => {
        const why = moderation.banned(event) ?? moderation.refused(event);
        return why ? { action: 'reject', reason: why, rule: 'banned' } : ACCEPT;
      },
      connection: ({ ip }) => (moderation.isIpBlocked(ip) ? { action: 'reject', reason: 'blocked: this address is blocked by the village moderators', rule: 'banned' } : ACCEPT),
      auth: ({ pubkey }) => (moderation.isPubkeyBanned(pubkey) ? { action: 'reject', reason: 'blocked: this author is banned from the village', rule: 'banned' } : ACCEPT),
    },
  };

  async function buildStep(raw: unknown, path: string, c: PoliciesConfig, built: Step[], fileList: typeof fileSteps): Promise<Step> {
    const parsed = policyEntry.safeParse(raw);
    if (!parsed.success) throw new Error(`policies.${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ')}`);
    const entry: PolicyEntry = parsed.data;
    const name = entry.name ?? entry.use;
    const step: Step = { name, timeoutMs: entry.timeoutMs ?? c.timeoutMs, onError: entry.onError ?? c.onError, current: undefined, log };
    built.push(step);
    const ctx: PolicyContext = {
      name,
      dir: files.dir,
      log: log.child({ policy: name }),
      rulebook: liveBook,
      services,
      trust,
      classifier: options.classifier,
      build: async (e, p) => stepAsPolicy(await buildStep(e, p, c, built, fileList)),
    };
    const builtin = builtins.get(entry.use);
    if (builtin) {
      const o = builtin.options.safeParse(entry.options);
      if (!o.success) throw new Error(`policies.${path}.options (${entry.use}): ${o.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
      try {
        step.current = await builtin.create(o.data, ctx);
      } catch (err) {
        // A built-in that cannot run here (no model, bad pattern) is reported like a broken file.
        step.unavailable = `${entry.use}: ${(err as Error).message}`;
        files.failed(`builtin:${name}`, err);
      }
      return step;
    }
    const instantiate = async (mod: PolicyModule): Promise<Policy> => {
      const p = typeof mod === 'function' ? await mod(entry.options, ctx) : mod;
      if (!p || typeof p !== 'object') throw new Error(`${entry.use}: the factory returned ${typeof p}, not a policy object`);
      return p;
    };
    // In a worker the file is never imported on the main thread: its top level could hang it too.
    const load = async (file: string): Promise<Policy> =>
      entry.isolate === 'worker'
        ? (await WorkerPolicy.start({ file, name, dir: files.dir, options: entry.options, rulebookPath: book.path }, ctx.log, Math.max(1000, 4 * step.timeoutMs))).policy()
        : instantiate(await files.import(file));
    fileList.push({ use: entry.use, step, load });
    const file = files.locate(entry.use);
    if (!file) {
      step.unavailable = `no built-in or policy file named "${entry.use}" in ${files.dir}`;
      files.failed(entry.use, new Error(step.unavailable));
      return step;
    }
    try {
      step.current = await load(file);
      files.loaded(file);
      files.loaded(entry.use);
    } catch (err) {
      step.unavailable = `${file}: ${(err as Error).message}`;
      files.failed(file, err);
    }
    return step;
  }

  async function buildAll(c: PoliciesConfig): Promise<{ pipelines: Pipelines; built: Step[]; fileList: typeof fileSteps }> {
    const built: Step[] = [];
    const fileList: typeof fileSteps = [];
    const pipelines = {} as Pipelines;
    try {
      for (const stage of ['connection', 'write', 'read', 'broadcast', 'auth'] as const) {
        const steps: Step[] = [];
        for (const [i, e] of c[stage].entries()) steps.push(await buildStep(e, `${stage}[${i}]`, c, built, fileList));
        pipelines[stage] = steps;
      }
      if (c.strfryPlugin) {
        pipelines.write.push(await buildStep({ use: 'strfry', name: 'strfryPlugin', options: { command: c.strfryPlugin } }, 'strfryPlugin', c, built, fileList));
      }
    } catch (err) {
      await closeSteps(built);
      throw err;
    }
    pipelines.write.unshift(banStep);
    pipelines.auth.unshift(banStep);
    pipelines.connection.unshift(banStep);
    return { pipelines, built, fileList };
  }

  async function closeSteps(steps: Step[]): Promise<void> {
    await Promise.all(
      steps.map(async (s) => {
        try {
          await s.current?.close?.();
        } catch (err) {
          log.warn({ policy: s.name, err: (err as Error).message }, 'policy close failed');
        }
      }),
    );
  }

  let state = await buildAll(config);
  allSteps = state.built;
  fileSteps = state.fileList;

  /** A file changed: rebuild every step that uses it; a failure keeps the old policy. */
  async function fileChanged(file: string): Promise<void> {
    let users = fileSteps.filter((f) => files.locate(f.use) === file);
    // Not a configured file: perhaps a helper that policy files import. Reload them all.
    if (users.length === 0) users = fileSteps.filter((f) => files.locate(f.use) !== undefined);
    if (users.length === 0) return;
    for (const u of users) {
      let fresh: Policy;
      try {
        fresh = await u.load(files.locate(u.use) ?? file);
      } catch (err) {
        files.failed(file, err);
        continue;
      }
      const old = u.step.current;
      u.step.current = fresh;
      u.step.unavailable = undefined;
      files.loaded(file);
      files.loaded(u.use);
      files.loaded(files.locate(u.use) ?? u.use);
      try {
        await old?.close?.();
      } catch {
        // the old version's close failing must not undo the reload
      }
    }
    log.info({ file, steps: users.map((u) => u.step.name) }, 'policy file reloaded');
  }
  let reloading = Promise.resolve();
  const queueReload = (file: string) => (reloading = reloading.then(() => fileChanged(file)));
  files.watch(queueReload);

  const pruneTimer = setInterval(() => void decisions.prune(Date.now() - config.decisionRetentionDays * 86_400_000), 6 * 3600_000);
  pruneTimer.unref();
  void decisions.prune(Date.now() - config.decisionRetentionDays * 86_400_000);

  const warnedRules = new Set<string>();
  // A flood of rate-limited requests must not become a flood of disk writes: one record per
  // (policy, address, author) per 10 s, carrying how many were folded into it.
  const throttled = new Map<string, { at: number; repeats: number }>();
  function record(stage: Stage, v: Verdict<ReadDecision>, fields: Partial<DecisionRecord>): void {
    const d = v.decision;
    if (d.action === 'accept' || d.action === 'rewrite') return;
    countDecision(stage, v.by ?? 'unknown', d.rule ?? (v.failed ? 'policy-error' : undefined), d.action);
    let repeats: number | undefined;
    if ('reason' in d && d.reason.startsWith('rate-limited:')) {
      const key = `${stage}|${v.by}|${fields.ip}|${fields.pubkey}`;
      const now = Date.now();
      const t = throttled.get(key);
      if (t && now - t.at < 10_000) {
        t.repeats++;
        return;
      }
      if (throttled.size > 10_000) for (const [k, x] of throttled) if (now - x.at >= 10_000) throttled.delete(k);
      repeats = t?.repeats || undefined;
      throttled.set(key, { at: now, repeats: 0 });
    }
    const rule = d.rule ?? (v.failed ? 'policy-error' : undefined);
    if (rule && !book.get(rule) && !warnedRules.has(rule)) {
      warnedRules.add(rule);
      log.warn({ rule, policy: v.by }, 'a decision names a rule that is not in the rulebook');
    }
    const ev = d.evidence;
    void decisions
      .record({
        at: Date.now(),
        stage,
        action: d.action,
        policy: v.by ?? 'unknown',
        rule,
        reason: 'reason' in d ? d.reason : undefined,
        labels: d.action === 'label' ? d.labels : undefined,
        model: ev?.model,
        modelVersion: ev?.modelVersion,
        score: ev?.score,
        failed: v.failed,
        repeats,
        ...fields,
      })
      .catch((err: Error) => log.error({ err: err.message }, 'cannot record a decision'));
  }

  const run = (stage: AsyncStage, input: object) => runPipeline(state.pipelines[stage], stage, input);

  const engine: HamletPolicyEngine = {
    connection(input: ConnectionInput) {
      return then(run('connection', input), (v) => {
        record('connection', v, { ip: input.ip });
        return v.decision as Decision;
      });
    },
    write(input: WriteInput) {
      return then(run('write', input), (v) => {
        const { event } = input;
        record('write', v, { eventId: event.id, pubkey: event.pubkey, kind: event.kind, ip: input.conn.ip });
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
        record('read', v, { ip: input.conn.ip, pubkey: input.conn.authed.values().next().value });
        return v.decision;
      });
    },
    broadcast(input: BroadcastInput) {
      return runBroadcast(state.pipelines.broadcast, input);
    },
    auth(input: AuthInput) {
      return then(run('auth', input), (v) => {
        record('auth', v, { pubkey: input.pubkey, ip: input.conn.ip });
        return v.decision as Decision;
      });
    },
    committed(event: NostrEvent) {
      trust.update(event);
      for (const s of allSteps) {
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
      const next = await buildAll(c);
      const old = state;
      const oldSteps = allSteps;
      state = next;
      allSteps = next.built;
      fileSteps = next.fileList;
      if (c.rulebook !== config.rulebook) {
        book = loadRulebook(c.rulebook || DEFAULT_RULEBOOK_PATH);
        watchBook();
      }
      config = c;
      configureTrust(c);
      void old;
      await closeSteps(oldSteps);
    },
    loadErrors: () => [...files.errors.values()],
    async reloadFiles() {
      const seen = new Set<string>();
      for (const f of fileSteps) {
        const file = files.locate(f.use);
        if (file && !seen.has(file)) {
          seen.add(file);
          await queueReload(file);
        }
      }
      await reloading;
    },
    rulebook: () => liveBook,
    trust,
    decisions,
    moderation,
    listDecisions: (q) => decisions.list(q),
    hiddenAuthors: () => moderation.bannedAuthors(),
    moderator: moderation,
    listHeld: (limit) => moderation.listHeld(limit),
    allowEvent: (id, who) => moderation.allowEvent(id, who),
    banEvent: (id, who) => moderation.banEvent(id, who),
    describe: () =>
      Object.fromEntries((['connection', 'write', 'read', 'broadcast', 'auth'] as const).map((s) => [s, state.pipelines[s].map((st) => st.name)])) as Record<Stage, string[]>,
    async close() {
      clearInterval(pruneTimer);
      files.close();
      bookWatcher?.close();
      await reloading;
      await closeSteps(allSteps);
    },
  };
  return engine;
}
