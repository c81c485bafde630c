import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { createLogger } from '../../relay/log.ts';
import { startRelay, type RunningRelay } from '../../cli/hamlet.ts';
import { Author, fetchEvents, publish, Relay, until } from '../helpers/client.ts';
import { httpUrl, rpc } from '../management/helpers.ts';
import { startTestRelay } from '../helpers/relay.ts';

const DENY_7 = '[{ use = "kinds", options = { deny = [7] } }]';

interface LogLine {
  level: number;
  msg: string;
  key?: string;
  keys?: string[];
}

describe('config hot reload (hamlet start --config FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-hot-'));
  const file = join(dir, 'village.toml');
  const admin = new Author();
  const lines: LogLine[] = [];
  let relay: RunningRelay;
  let client: Relay;

  /** The file as an operator would save it (written beside it, then renamed over it, as editors do). */
  const save = (o: { name: string; maxLimit: number | string; batchSize?: number; write?: string; admins?: string[] }) => {
    const text = `[relay]
port = 0
name = "${o.name}"
admins = ${JSON.stringify(o.admins ?? [admin.pubkey])}

[storage]
dataDir = "${join(dir, 'data')}"
mapSizeMb = 256
batchSize = ${o.batchSize ?? 1000}

[limits]
maxLimit = ${JSON.stringify(o.maxLimit)}

[log]
level = "info"

[verify]
threads = 1

[policies]
connection = []
read = []
${o.write ? `write = ${o.write}` : ''}
`;
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  const nip11 = async () => (await (await fetch(httpUrl(relay.url), { headers: { Accept: 'application/nostr+json' } })).json()) as { name: string; limitation: { max_limit: number } };
  const logged = (pred: (l: LogLine) => boolean) => lines.some(pred);

  beforeAll(async () => {
    save({ name: 'Before', maxLimit: 2 });
    const config = loadConfig({ file, env: {} });
    const log = createLogger(
      config,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as LogLine);
          done();
        },
      }),
    );
    relay = await startRelay({ config, log, configFile: file, models: async () => undefined });
    client = await Relay.connect(relay.url);
    const author = new Author();
    for (let i = 0; i < 5; i++) expect((await publish(client, author.sign({ content: `note number ${i} for the hot reload test` }))).ok).toBe(true);
  });
  afterAll(async () => {
    client.close();
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies hot keys to a connected client without reconnecting', async () => {
    expect((await fetchEvents(client, [{ kinds: [1], limit: 100 }])).events).toHaveLength(2);
    save({ name: 'After', maxLimit: 4 });
    await until(async () => (await nip11()).name === 'After');
    expect((await nip11()).limitation.max_limit).toBe(4);
    expect(client.connected).toBe(true);
    expect((await fetchEvents(client, [{ kinds: [1], limit: 100 }])).events).toHaveLength(4);
    // Logged once the reload's last step (onApplied: dropping NIP-86 overrides, an LMDB write) is
    // done, which can come after NIP-11 already shows the new name on a loaded machine.
    await until(() => logged((l) => l.msg.startsWith('config reloaded') && (l.keys ?? []).includes('limits.maxLimit')));
  });

  it('rebuilds the policies when a pipeline changes', async () => {
    const author = new Author();
    expect((await publish(client, author.sign({ kind: 7, content: '+' }))).ok).toBe(true);
    save({ name: 'After', maxLimit: 4, write: DENY_7 });
    await until(() => relay.relay.config.policies.write.length === 1);
    expect(await publish(client, author.sign({ kind: 7, content: '++' }))).toEqual({ ok: false, message: 'blocked: kind 7 is not accepted here' });
    expect(client.connected).toBe(true);
  });

  it('keeps the running config when a pipeline is invalid: one error line naming the key, nothing applied', async () => {
    lines.length = 0;
    save({ name: 'After', maxLimit: 3, write: '[{ use = "kinds", options = { deny = "seven" } }, { use = "nope" }]' });
    await until(() => logged((l) => l.level === 50));
    // Give a stray second line the time to show up.
    await new Promise((r) => setTimeout(r, 500));
    const errors = lines.filter((l) => l.level >= 40);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/^config file is invalid, the running config stays: .*policies\.write\[0\]\.options\.deny: .*policies\.write\[1\]\.use: "nope" is neither/);
    expect(logged((l) => l.msg.startsWith('config reloaded'))).toBe(false);
    expect(relay.relay.config.limits.maxLimit).toBe(4);
    expect(relay.relay.config.policies.write).toEqual([{ use: 'kinds', options: { deny: [7] } }]);
    expect((await publish(client, new Author().sign({ kind: 7, content: '+' }))).ok).toBe(false);
  });

  it('keeps the running config when a policy file it names fails to load: one error line, nothing applied', async () => {
    mkdirSync(join(dir, 'policies.d'), { recursive: true });
    writeFileSync(join(dir, 'policies.d', 'broken.mjs'), 'throw new Error("broken on purpose");');
    lines.length = 0;
    save({ name: 'Renamed', maxLimit: 3, write: '[{ use = "kinds", options = { deny = [7] } }, { use = "broken" }]' });
    await until(() => logged((l) => l.level === 50));
    await new Promise((r) => setTimeout(r, 500));
    const errors = lines.filter((l) => l.level >= 40);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/^config file is invalid, the running config stays: policies\.write\[1\] \(broken\): .*broken on purpose/);
    expect(logged((l) => l.msg.startsWith('config reloaded'))).toBe(false);
    expect(relay.relay.config.limits.maxLimit).toBe(4);
    expect((await nip11()).name).toBe('After');
  });

  it('logs one line per changed key that needs a restart, and leaves it as it runs', async () => {
    lines.length = 0;
    save({ name: 'After', maxLimit: 4, write: DENY_7, batchSize: 50 });
    await until(() => logged((l) => l.key === 'storage.batchSize'));
    const line = lines.find((l) => l.key === 'storage.batchSize')!;
    expect(line.level).toBe(40);
    expect(line.msg).toMatch(/storage\.batchSize changed; restart the relay to apply it/);
    expect(relay.relay.config.storage.batchSize).toBe(1000);
    expect(lines.filter((l) => l.msg.includes('restart the relay')).map((l) => l.key)).toEqual(['storage.batchSize']);
  });

  it('keeps the running config when the file is invalid, naming the key', async () => {
    lines.length = 0;
    save({ name: 'Broken', maxLimit: 'lots', write: DENY_7, batchSize: 50 });
    await until(() => logged((l) => l.level === 50 && l.msg.includes('limits.maxLimit')));
    expect(relay.relay.config.limits.maxLimit).toBe(4);
    expect((await nip11()).name).toBe('After');

    lines.length = 0;
    writeFileSync(file, '[relay\nname = ');
    await until(() => logged((l) => l.level === 50 && l.msg.includes('TOML syntax error')));
    expect((await nip11()).name).toBe('After');

    save({ name: 'Mended', maxLimit: 3, write: DENY_7, batchSize: 50 });
    await until(async () => (await nip11()).name === 'Mended');
    expect((await fetchEvents(client, [{ kinds: [1], limit: 100 }])).events).toHaveLength(3);
    expect(client.connected).toBe(true);
  });

  it('a NIP-86 name change holds until the file itself changes the name', async () => {
    const url = httpUrl(relay.url);
    expect((await rpc(url, admin, 'changerelayname', ['Set by an admin'])).body.result).toBe(true);
    save({ name: 'Mended', maxLimit: 5, write: DENY_7, batchSize: 50 });
    await until(() => relay.relay.config.limits.maxLimit === 5);
    expect((await nip11()).name).toBe('Set by an admin');
    save({ name: 'From the file', maxLimit: 5, write: DENY_7, batchSize: 50 });
    await until(async () => (await nip11()).name === 'From the file');
  });

  it('relay.admins applies to the next NIP-86 call', async () => {
    const newcomer = new Author();
    const url = httpUrl(relay.url);
    expect((await rpc(url, newcomer, 'supportedmethods')).status).toBe(401);
    save({ name: 'From the file', maxLimit: 5, write: DENY_7, batchSize: 50, admins: [admin.pubkey, newcomer.pubkey] });
    await until(() => relay.relay.config.relay.admins.length === 2);
    expect((await rpc(url, newcomer, 'supportedmethods')).status).toBe(200);
  });
});

describe('limits.maxOutboundBytes as a hot key', () => {
  it('applies at the next flush of a connection that is already open', async () => {
    const t = await startTestRelay();
    try {
      const closes: number[] = [];
      // A connection whose socket reports 100 kB still unsent after every write.
      const s = t.relay.open({ send: () => undefined, bufferedAmount: () => 100_000, cork: (fn) => fn(), close: (code) => void closes.push(code) }, '127.0.0.1');
      s.send('["NOTICE","first"]');
      await new Promise((r) => setTimeout(r, 10));
      expect(closes).toEqual([]);
      t.relay.setConfig({ ...t.relay.config, limits: { ...t.relay.config.limits, maxOutboundBytes: 65_536 } });
      s.send('["NOTICE","second"]');
      await until(() => closes.length > 0);
      expect(closes).toEqual([1008]);
      t.relay.close(s);
    } finally {
      await t.destroy();
    }
  });
});
