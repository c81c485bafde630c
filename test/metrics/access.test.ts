import { afterAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';

describe.each(['uws', 'ws'] as const)('who may read /metrics (%s)', (transport) => {
  const relays: TestRelay[] = [];
  afterAll(async () => {
    for (const r of relays) await r.destroy();
  });
  const start = async (relay: Record<string, unknown> = {}) => {
    const r = await startTestRelay({ relay: { transport, ...relay }, policies: { connection: [], read: [], write: [] } });
    relays.push(r);
    return { get: (headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${r.port}/metrics`, { headers }) };
  };
  const status = async (res: Promise<Response>) => {
    const r = await res;
    const text = await r.text();
    return r.status === 403 ? `403 ${text.trim()}` : String(r.status);
  };

  it('serves loopback by default, and refuses a request that came through a proxy without relay.realIpHeader', async () => {
    const { get } = await start();
    expect(await status(get())).toBe('200');
    // Behind a loopback proxy every client is 127.0.0.1: the forwarded header gives it away.
    expect(await status(get({ 'X-Forwarded-For': '203.0.113.50' }))).toMatch(/^403 forbidden: .*proxy/);
    expect(await status(get({ Forwarded: 'for=203.0.113.50' }))).toMatch(/^403 /);
  });

  it('judges the client address the trusted proxy names, against relay.metricsAllow', async () => {
    const { get } = await start({ realIpHeader: 'x-forwarded-for', metricsAllow: ['10.1.0.0/16'] });
    expect(await status(get({ 'X-Forwarded-For': '10.1.2.3' }))).toBe('200');
    expect(await status(get({ 'X-Forwarded-For': '10.1.2.3, 203.0.113.50' }))).toMatch(/^403 forbidden: .*not to 203\.0\.113\.50/);
    // The proxy itself, or a local tool, is loopback: not in this list.
    expect(await status(get())).toMatch(/^403 /);
  });

  it('is off with an empty relay.metricsAllow', async () => {
    const { get } = await start({ metricsAllow: [] });
    expect(await status(get())).toMatch(/^403 forbidden: .*switched off/);
  });
});
