import { z } from 'zod';
import { ACCEPT, act } from './decide.ts';
import { defineBuiltin, type Policy, type Stage } from './policy.ts';
import type { Decision, ReadDecision } from '../relay/policy.ts';

type Async = Exclude<Stage, 'broadcast'>;
type Answer = ReadDecision | Promise<ReadDecision>;

const call = (p: Policy, stage: Async, input: unknown): Answer =>
  (p[stage] as ((i: unknown) => Answer) | undefined)?.call(p, input) ?? ACCEPT;

/** Runs children in order; the first non-accept wins (a pipeline inside a pipeline). */
function allOf(children: Policy[]): Policy {
  const run = async (stage: Async, input: unknown): Promise<ReadDecision> => {
    for (const c of children) {
      const d = await call(c, stage, input);
      if (d.action !== 'accept') return d;
    }
    return ACCEPT;
  };
  return {
    connection: (i) => run('connection', i) as Promise<Decision>,
    write: (i) => run('write', i) as Promise<Decision>,
    read: (i) => run('read', i),
    auth: (i) => run('auth', i) as Promise<Decision>,
    broadcast: (i) => children.every((c) => c.broadcast?.(i) ?? true),
  };
}

/** Accepts when any child accepts; otherwise answers as the first child did. */
function anyOf(children: Policy[]): Policy {
  const run = async (stage: Async, input: unknown): Promise<ReadDecision> => {
    let first: ReadDecision | undefined;
    for (const c of children) {
      const d = await call(c, stage, input);
      if (d.action === 'accept') return d;
      first ??= d;
    }
    return first ?? ACCEPT;
  };
  return {
    connection: (i) => run('connection', i) as Promise<Decision>,
    write: (i) => run('write', i) as Promise<Decision>,
    read: (i) => run('read', i),
    auth: (i) => run('auth', i) as Promise<Decision>,
    broadcast: (i) => children.length === 0 || children.some((c) => c.broadcast?.(i) ?? true),
  };
}

const entries = z.array(z.unknown()).min(1).describe('Nested entries: { use, options, timeoutMs, onError }.');

const lift = (children: Promise<Policy>[]) => Promise.all(children);

/** all: every child must accept. */
export const all = defineBuiltin({
  name: 'all',
  description: 'Every nested policy must accept (first non-accept wins).',
  options: z.object({ policies: entries }).strict(),
  create: async (o, ctx) => allOf(await lift(o.policies.map((e, i) => ctx.build(e, `${ctx.name}.${i}`)))),
});

/** any: one accepting child is enough. */
export const any = defineBuiltin({
  name: 'any',
  description: 'Accepts when any nested policy accepts.',
  options: z.object({ policies: entries }).strict(),
  create: async (o, ctx) => anyOf(await lift(o.policies.map((e, i) => ctx.build(e, `${ctx.name}.${i}`)))),
});

/** not: inverts a child; what it refused passes, what it accepted gets `reason`. */
export const not = defineBuiltin({
  name: 'not',
  description: 'Inverts a nested policy: its refusals pass, its acceptances are refused with the given reason.',
  options: z
    .object({
      policy: z.unknown().describe('The nested entry.'),
      reason: z.string().default('blocked: not allowed here').describe('Reason given when the nested policy accepts.'),
      action: z.enum(['reject', 'shadowReject', 'hold']).default('reject').describe('What the inversion does.'),
      rule: z.string().optional().describe('Rulebook id named in the decisions.'),
    })
    .strict(),
  create: async (o, ctx) => {
    const child = await ctx.build(o.policy, `${ctx.name}.0`);
    const run = async (stage: Async, input: unknown): Promise<Decision> => {
      const d = await call(child, stage, input);
      return d.action === 'accept' ? act(o.action, o.reason, o.rule) : ACCEPT;
    };
    return {
      connection: (i) => run('connection', i),
      write: (i) => run('write', i),
      read: (i) => run('read', i),
      auth: (i) => run('auth', i),
      broadcast: (i) => !(child.broadcast?.(i) ?? true),
    };
  },
});
