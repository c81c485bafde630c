import type { Config } from '../../config/schema.ts';
import type { NostrEvent } from '../nostr/types.ts';
import type { PolicyEngine } from '../policy.ts';
import type { Session } from '../protocol/session.ts';
import type { CommitHooks } from './commitHooks.ts';
import { EventFrames } from './eventFrames.ts';
import type { Monitor } from './monitor.ts';

/**
 * Delivery of an accepted event: to every live subscription that wants it and may see it (NIP-42
 * parties for restricted kinds, the broadcast policies), then to the after-commit hooks.
 */
export class Fanout {
  constructor(
    private readonly monitor: Monitor<Session>,
    private readonly config: () => Config,
    private readonly policies: () => PolicyEngine,
    private readonly hooks: CommitHooks,
  ) {}

  deliver(event: NostrEvent, json: string): void {
    const subs = this.monitor.match(event);
    if (subs.length > 0) {
      const restricted = this.config().nips.restrictedKinds.includes(event.kind);
      const policies = this.policies();
      const frames = new EventFrames(Buffer.from(json));
      for (const sub of subs) {
        const s = sub.owner;
        if (restricted && !s.mayRead(event)) continue;
        if (!policies.broadcast({ event, recipient: s.info, subId: sub.id })) continue;
        const frame = frames.for(sub.id);
        if (sub.held) sub.held.push({ id: event.id, frame });
        else s.send(frame);
      }
      frames.done();
    }
    this.hooks.push(event);
  }
}
