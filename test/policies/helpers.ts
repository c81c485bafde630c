import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { pino } from 'pino';
import { finalizeEvent, generateSecretKey } from 'nostr-tools';
import { z } from 'zod';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { builtins } from '../../policies/builtin/index.ts';
import { stepAsPolicy, type Step } from '../../policies/pipeline.ts';
import type { Policy, PolicyContext } from '../../policies/policy.ts';
import { loadRulebook } from '../../policies/rulebook.ts';
import { TrustGraph } from '../../policies/trust/graph.ts';
import type { ConnectionInfo, WriteInput, ReadInput } from '../../relay/policy.ts';
import type { ToxicityClassifier } from '../../policies/policy.ts';

export const silent = pino({ level: 'silent' });

/** A real LMDB environment in a temp dir. */
export function tempEnv(): { env: RootDatabase; dir: string; destroy(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-policies-'));
  const env = open({ path: join(dir, 'db'), maxDbs: 16 });
  return {
    env,
    dir,
    async destroy() {
      await env.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function conn(ip = '203.0.113.7', authed: string[] = []): ConnectionInfo {
  return { id: 1, ip, authed: new Set(authed) };
}

export function signed(t: Partial<Pick<NostrEvent, 'kind' | 'content' | 'tags' | 'created_at'>> = {}, sk = generateSecretKey()): NostrEvent {
  const e = finalizeEvent({ kind: t.kind ?? 1, content: t.content ?? 'hello village', tags: t.tags ?? [], created_at: t.created_at ?? Math.floor(Date.now() / 1000) }, sk);
  // Plain JSON, as it arrives over the wire (finalizeEvent adds a symbol).
  return JSON.parse(JSON.stringify(e)) as NostrEvent;
}

export function writeInput(event: NostrEvent, ip = '203.0.113.7', source: WriteInput['source'] = 'client'): WriteInput {
  return { event, conn: conn(ip), source, receivedAt: Date.now() };
}

export function readInput(filters: ReadInput['filters'], ip = '203.0.113.7', authed: string[] = []): ReadInput {
  return { verb: 'REQ', subId: 's', filters, conn: conn(ip, authed) };
}

export interface CtxExtras {
  trust?: TrustGraph;
  classifier?: ToxicityClassifier;
}

/** A policy context with no relay, building nested entries from the built-ins. */
export function ctx(extras: CtxExtras = {}, name = 'test'): PolicyContext {
  const c: PolicyContext = {
    name,
    dir: tmpdir(),
    log: silent,
    rulebook: loadRulebook(),
    trust: extras.trust ?? new TrustGraph(),
    classifier: extras.classifier,
    build: async (e, path) => stepAsPolicy(step(await make((e as { use: string }).use, (e as { options?: object }).options ?? {}, extras), path)),
  };
  return c;
}

/** A built-in instance from its name and raw (config-shaped) options. */
export async function make(name: string, options: object = {}, extras: CtxExtras = {}): Promise<Policy> {
  const b = builtins.get(name);
  if (!b) throw new Error(`no built-in ${name}`);
  return b.create((b.options as z.ZodType).parse(options) as never, ctx(extras, name));
}

export function step(current: Policy | undefined, name = 'p', over: Partial<Step> = {}): Step {
  return { name, timeoutMs: 100, onError: 'accept', current, log: silent, ...over };
}
