import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSecretKey, getPublicKey } from 'nostr-tools';
import { StrfryPlugin } from '../../policies/strfry/plugin.ts';
import { make, signed, silent, writeInput } from './helpers.ts';
import type { Policy } from '../../policies/policy.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('strfry plugin adapter', () => {
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close();
  });

  it('runs the docs-style white-list plugin unchanged', async () => {
    const sk = generateSecretKey();
    const p: Policy = await make('strfry', { command: fixture('whitelist.cjs'), env: { WHITELISTED: getPublicKey(sk) } });
    open.push({ close: () => p.close!() });
    expect(await p.write!(writeInput(signed({}, sk)))).toEqual({ action: 'accept' });
    expect(await p.write!(writeInput(signed()))).toEqual({ action: 'reject', reason: 'blocked: not on white-list' });
  });

  it('keeps several requests in flight and matches answers by id, sending strfry\'s fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-strfry-'));
    const record = join(dir, 'requests.jsonl');
    const plugin = new StrfryPlugin({ command: fixture('echo-late.cjs'), env: { RECORD: record }, log: silent });
    open.push(plugin);
    const events = [signed({ content: 'good one' }), signed({ content: 'bad one' }), signed({ content: 'shadow' })];
    const input = { ...writeInput(events[0]!, '198.51.100.4'), conn: { id: 1, ip: '198.51.100.4', authed: new Set([events[0]!.pubkey]) } };
    const answers = Promise.all([plugin.decide(input), plugin.decide(writeInput(events[1]!, '2001:db8::1')), plugin.decide(writeInput(events[2]!, '1.2.3.4', 'sync'))]);
    expect(plugin.inFlight).toBe(3);
    expect(await answers).toEqual([{ action: 'accept' }, { action: 'reject', reason: 'blocked: no bad words' }, { action: 'shadowReject', reason: 'blocked: refused by plugin' }]);
    const sent = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(sent[0]).toEqual({ type: 'new', event: events[0], receivedAt: expect.any(Number), sourceType: 'IP4', sourceInfo: '198.51.100.4', authed: events[0]!.pubkey });
    expect(sent[1]).toMatchObject({ sourceType: 'IP6', sourceInfo: '2001:db8::1' });
    expect(sent[2]).toMatchObject({ sourceType: 'Sync', sourceInfo: '' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails pending requests when the plugin crashes, then restarts it', async () => {
    const plugin = new StrfryPlugin({ command: fixture('echo-late.cjs'), log: silent, restartDelayMs: 1 });
    open.push(plugin);
    const first = plugin.pid;
    const pending = plugin.decide(writeInput(signed({ content: 'waiting' })));
    await expect(plugin.decide(writeInput(signed({ content: 'crash' })))).rejects.toThrow(/exited \(3\)/);
    await expect(pending).rejects.toThrow(/exited/);
    await new Promise((r) => setTimeout(r, 20));
    expect(await plugin.decide(writeInput(signed({ content: 'flush' })))).toEqual({ action: 'accept' });
    expect(plugin.pid).not.toBe(first);
  });

  it('answers by the step\'s fail mode when the plugin cannot start', async () => {
    const plugin = new StrfryPlugin({ command: '/nonexistent/plugin', log: silent });
    open.push(plugin);
    await expect(plugin.decide(writeInput(signed()))).rejects.toThrow();
  });
});
