import type { Decision, PolicyEngine, WriteInput } from '../relay/policy.ts';

/** What village moderation says after the policies decided on a write. */
export type WriteScreen = (input: WriteInput, decided: Decision) => Decision;

/**
 * The policy engine with village moderation after its write stage: reports, appeals and votes
 * the policies accepted are screened (and refused with a reason where out of turn), and events
 * the policies held open a case. Everything else the engine offers passes through unchanged.
 */
export function guardWrites(engine: PolicyEngine, screen: WriteScreen): PolicyEngine {
  const write = (input: WriteInput): Decision | Promise<Decision> => {
    const d = engine.write(input);
    return d instanceof Promise ? d.then((x) => screen(input, x)) : screen(input, d);
  };
  return new Proxy(engine, { get: (target, prop, receiver) => (prop === 'write' ? write : Reflect.get(target, prop, receiver)) });
}
