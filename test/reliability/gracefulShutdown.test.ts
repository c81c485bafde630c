import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { acceptAll } from '../../relay/policy.ts';
import { createPolicyEngine } from '../../policies/index.ts';
import { Author, RawClient, until } from '../helpers/client.ts';
import { writeFileSync } from 'node:fs';
import { startTestRelay } from '../helpers/relay.ts';
import { killChildren, startChild, writeConfig } from './support/child.ts';
import { Publisher, storedIds } from './support/publisher.ts';

/** SIGTERM and SIGINT: stop accepting, finish the writes in flight, close LMDB, exit 0. */

const dirs: string[] = [];
afterEach(async () => {
  await killChildren();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('graceful shutdown on %s', (signal) => {
  it('exits 0 after closing LMDB, and every OK true is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-shutdown-'));
    dirs.push(dir);
    const config = writeConfig(dir);
    const dataDir = join(dir, 'data');
    const relay = await startChild(dataDir, config);
    const publishers = Array.from({ length: 4 }, (_, i) => new Publisher(relay.url, `${signal} ${i}`));
    const runs = publishers.map((p) => p.run());
    // Signal while the publishers have events in flight: once the first acknowledgements are in
    // (a fixed pause is not enough when the machine is busy and the relay warms up slowly).
    await until(() => publishers.some((p) => p.acked.size > 0), 20_000);
    relay.proc.kill(signal);
    expect(await relay.exited).toBe(0);
    await Promise.all(runs);
    const log = relay.output();
    expect(log).toContain('"msg":"relay stopped"');
    expect(log).not.toMatch(/"level":(50|60)/);
    const acked = publishers.flatMap((p) => [...p.acked]);
    expect(acked.length).toBeGreaterThan(0);

    const again = await startChild(dataDir, config);
    const found = await storedIds(again.url, acked);
    expect(acked.filter((id) => !found.has(id))).toEqual([]);
    again.proc.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});

describe('graceful shutdown in-process', () => {
  it('refuses new connections as soon as close() begins', async () => {
    const relay = await startTestRelay({}, { policies: async () => acceptAll });
    const closing = relay.destroy();
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(relay.url);
      ws.once('open', () => {
        resolve('open');
        ws.terminate();
      });
      ws.once('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message));
    });
    await closing;
    expect(outcome).not.toBe('open');
  });

  it('an event still in a policy when close() runs is dropped quietly, without touching the closed database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-shutdown-policy-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'slow.mjs'), `export const write = () => new Promise((r) => setTimeout(() => r({ action: 'reject', reason: 'blocked: too late' }), 300));`);
    const relay = await startTestRelay(
      { policies: { dir, connection: [], read: [], write: [{ use: 'slow', timeoutMs: 2000 }] } },
      { policies: (s) => createPolicyEngine(s) },
    );
    const c = await RawClient.open(relay.url);
    c.send(['EVENT', new Author().sign({ content: 'in flight at shutdown' })]);
    await new Promise((r) => setTimeout(r, 50));
    await relay.destroy();
    // The policy answers after the store closed; its decision record must not crash the process.
    await new Promise((r) => setTimeout(r, 600));
    c.close();
  });
});
