import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../relay/log.ts';
import { startTestRelay } from '../helpers/relay.ts';

/** A logger whose JSON lines land in `lines`. */
function capture(lines: string[]) {
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).trim().split('\n')), done()) });
  return createLogger({ log: { level: 'info', pretty: 'never' } }, sink);
}

describe('private kinds left readable by an older config', () => {
  it('warns at start when nips.restrictedKinds lacks seals or rumors, and not with the defaults', async () => {
    const old: string[] = [];
    const relay = await startTestRelay({ nips: { restrictedKinds: [4, 1059] } }, { log: capture(old) });
    await relay.destroy();
    const warning = old.map((l) => JSON.parse(l) as { level: number; msg: string; kinds?: number[] }).find((l) => l.msg.startsWith('nips.restrictedKinds leaves private kinds'));
    expect(warning?.level).toBe(40);
    expect(warning?.kinds).toEqual([13, 14, 15]);

    const fresh: string[] = [];
    const defaults = await startTestRelay({}, { log: capture(fresh) });
    await defaults.destroy();
    expect(fresh.some((l) => l.includes('leaves private kinds'))).toBe(false);
  });
});
