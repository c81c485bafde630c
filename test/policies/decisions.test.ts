import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionLog } from '../../policies/decisions.ts';
import { Moderation } from '../../policies/moderation.ts';
import { tempEnv } from './helpers.ts';

describe('decision log (LMDB)', () => {
  let t: ReturnType<typeof tempEnv>;
  beforeEach(() => {
    t = tempEnv();
  });
  afterEach(() => t.destroy());

  it('records and queries decisions, newest first, by field and by event', async () => {
    const log = new DecisionLog(t.env);
    await log.record({ at: 1000, stage: 'write', action: 'reject', policy: 'hellthread', rule: 'hellthread', reason: 'blocked: mentions', eventId: 'e1', pubkey: 'p1', kind: 1 });
    await log.record({ at: 2000, stage: 'write', action: 'hold', policy: 'toxicity', rule: 'abuse', reason: 'blocked: toxic', eventId: 'e2', pubkey: 'p2', model: 'm', modelVersion: '1', score: 0.9 });
    await log.record({ at: 3000, stage: 'read', action: 'reject', policy: 'rateLimit', rule: 'flood', reason: 'rate-limited: slow down', ip: '198.51.100.1' });
    await log.record({ at: 3000, stage: 'write', action: 'reject', policy: 'moderator', eventId: 'e1' });
    expect(log.list().map((r) => r.at)).toEqual([3000, 3000, 2000, 1000]);
    expect(log.list({ stage: 'read' })).toEqual([{ at: 3000, stage: 'read', action: 'reject', policy: 'rateLimit', rule: 'flood', reason: 'rate-limited: slow down', ip: '198.51.100.1' }]);
    expect(log.list({ eventId: 'e1' }).map((r) => r.policy)).toEqual(['moderator', 'hellthread']);
    expect(log.list({ action: 'hold' })[0]).toMatchObject({ model: 'm', modelVersion: '1', score: 0.9 });
    expect(log.list({ since: 1500, until: 2500 }).map((r) => r.eventId)).toEqual(['e2']);
    expect(log.list({ limit: 1 })).toHaveLength(1);
    expect(await log.prune(2500)).toBe(2);
    expect(log.list().map((r) => r.at)).toEqual([3000, 3000]);
    expect(log.list({ eventId: 'e1' }).map((r) => r.policy)).toEqual(['moderator']);
  });

  it('keeps the moderation queue and bans across restarts', async () => {
    const log = new DecisionLog(t.env);
    const m = new Moderation(t.env, log);
    await m.hold({ id: 'e1', at: 1, pubkey: 'p1', kind: 1, policy: 'toxicity', reason: 'blocked: toxic', rule: 'abuse' });
    await m.hold({ id: 'e2', at: 2, pubkey: 'p2', kind: 1, policy: 'keywords', reason: 'blocked: word' });
    expect(m.listHeld().map((h) => h.id)).toEqual(['e2', 'e1']);
    expect(await m.allowEvent('e1', { moderator: 'cli' })).toBe(true);
    expect(m.isHeld('e1')).toBe(false);
    expect(await m.allowEvent('nope')).toBe(false);
    expect(await m.banEvent('e2', { moderator: 'cli', reason: 'spam' })).toBe(true);
    expect(m.listHeld()).toEqual([]);
    await m.banPubkey('p9', { reason: 'abuse' });
    expect(m.banned({ id: 'e2', pubkey: 'x' })).toBe('blocked: this event was removed by the village moderators');
    expect(m.banned({ id: 'zz', pubkey: 'p9' })).toBe('blocked: this author is banned from the village');

    const again = new Moderation(t.env, log);
    expect(again.banned({ id: 'e2', pubkey: 'x' })).toBeDefined();
    expect(again.isPubkeyBanned('p9')).toBe(true);
    expect(again.listBannedPubkeys()).toMatchObject([{ pubkey: 'p9', reason: 'abuse' }]);
    expect(await again.unbanPubkey('p9')).toBe(true);
    expect(again.isPubkeyBanned('p9')).toBe(false);
    expect(log.list({ policy: 'moderator' }).map((r) => `${r.action}:${r.eventId ?? r.pubkey}`)).toEqual(['allow:p9', 'ban:p9', 'ban:e2', 'allow:e1']);
  });
});
