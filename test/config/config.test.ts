import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG_PATH, buildConfig, loadConfig } from '../../config/load.ts';
import { configSchema } from '../../config/schema.ts';
import { describeKeys, renderDefaultToml, renderToml } from '../../config/doc.ts';
import { composePipelines } from '../../config/pipelines.ts';
import type { Config } from '../../config/schema.ts';
import { parse as parseToml } from 'smol-toml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hamlet-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function tomlFile(text: string): string {
  const path = join(dir, `config-${n++}.toml`);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError message of a load that must fail. */
function failure(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the defaults: the shipped file and the schema agree', () => {
    const config = loadConfig({ env: {} });
    const schemaDefaults = configSchema.parse({});
    // models.dir is derived: empty means <storage.dataDir>/models
    expect(config).toEqual({ ...schemaDefaults, models: { ...schemaDefaults.models, dir: 'data/models' } });
    expect(config.relay.port).toBe(7777);
    expect(config.relay.host).toBe('127.0.0.1');
    expect(config.storage.dataDir).toBe('./data');
    expect(config.limits.maxMessageBytes).toBe(262_144);
    expect(buildConfig()).toEqual(config);
  });

  it('lets a TOML file override keys, keeping the defaults of the rest', () => {
    const file = tomlFile(`
[relay]
port = 9000
name = "Riverside"

[limits]
maxLimit = 10

[nips]
search = false
restrictedKinds = [4]
`);
    const config = loadConfig({ file, env: {} });
    expect(config.relay).toMatchObject({ port: 9000, name: 'Riverside', host: '127.0.0.1' });
    expect(config.limits.maxLimit).toBe(10);
    expect(config.limits.defaultLimit).toBe(500);
    expect(config.nips).toMatchObject({ search: false, restrictedKinds: [4], count: true });
    // HAMLET_CONFIG names the file when no file is passed.
    expect(loadConfig({ env: { HAMLET_CONFIG: file } }).relay.port).toBe(9000);
  });

  it('lets HAMLET_* variables win over the file (numbers, booleans, arrays, strings), and overrides win over both', () => {
    const file = tomlFile('[relay]\nport = 9000\n[nips]\nsearch = true\ncount = false\n[limits]\nmaxMessageBytes = 5000\n');
    const env = {
      HAMLET_RELAY_PORT: '9100',
      HAMLET_RELAY_NAME: 'From the environment',
      HAMLET_NIPS_SEARCH: 'false',
      HAMLET_NIPS_COUNT: 'yes',
      HAMLET_NIPS_RESTRICTED_KINDS: '4, 1059,14',
      HAMLET_LIMITS_MAX_MESSAGE_BYTES: '70000',
      HAMLET_POLICIES_MEMBERS: '["aa", "bb"]',
      HAMLET_LOG_LEVEL: 'warn',
    };
    const config = loadConfig({ file, env });
    expect(config.relay.port).toBe(9100);
    expect(config.relay.name).toBe('From the environment');
    expect(config.nips.search).toBe(false);
    expect(config.nips.count).toBe(true);
    expect(config.nips.restrictedKinds).toEqual([4, 1059, 14]);
    expect(config.limits.maxMessageBytes).toBe(70_000);
    expect(config.policies.members).toEqual(['aa', 'bb']);
    expect(config.log.level).toBe('warn');
    expect(loadConfig({ file, env: { HAMLET_NIPS_RESTRICTED_KINDS: '[7]' } }).nips.restrictedKinds).toEqual([7]);
    expect(loadConfig({ file, env, overrides: { relay: { port: 9200 } } }).relay.port).toBe(9200);
  });

  it('names the key, and where the value came from, for a bad type in the file', () => {
    const file = tomlFile('[relay]\nport = "seven"\n[limits]\nmaxLimit = -3\n');
    const message = failure(() => loadConfig({ file, env: {} }));
    expect(message).toMatch(/^relay\.port: .*\(in .*config-\d+\.toml\)$/m);
    expect(message).toMatch(/^limits\.maxLimit: /m);
  });

  it('names unknown keys and unknown sections in the file', () => {
    expect(failure(() => loadConfig({ file: tomlFile('[relay]\nprot = 7778\n'), env: {} }))).toMatch(/relay\.prot: unknown key/);
    expect(failure(() => loadConfig({ file: tomlFile('[relays]\nport = 7778\n'), env: {} }))).toMatch(/relays: unknown key/);
  });

  it('names the file for a TOML syntax error and for a missing file', () => {
    expect(failure(() => loadConfig({ file: tomlFile('[relay\nport = 1\n'), env: {} }))).toMatch(/config-\d+\.toml/);
    expect(failure(() => loadConfig({ file: join(dir, 'missing.toml'), env: {} }))).toMatch(/missing\.toml/);
  });

  it('names the variable for a bad environment value', () => {
    expect(failure(() => loadConfig({ env: { HAMLET_RELAY_PORT: 'abc' } }))).toMatch(/HAMLET_RELAY_PORT/);
    expect(failure(() => loadConfig({ env: { HAMLET_RELAY_PORT: '' } }))).toMatch(/HAMLET_RELAY_PORT/);
    expect(failure(() => loadConfig({ env: { HAMLET_NIPS_SEARCH: 'maybe' } }))).toMatch(/HAMLET_NIPS_SEARCH/);
    expect(failure(() => loadConfig({ env: { HAMLET_NIPS_RESTRICTED_KINDS: '4,x' } }))).toMatch(/HAMLET_NIPS_RESTRICTED_KINDS/);
    expect(failure(() => loadConfig({ env: { HAMLET_NIPS_RESTRICTED_KINDS: '[4,' } }))).toMatch(/HAMLET_NIPS_RESTRICTED_KINDS/);
    // Parsed, but out of range for the schema: both the key and the variable are named.
    const range = failure(() => loadConfig({ env: { HAMLET_RELAY_PORT: '70000' } }));
    expect(range).toMatch(/relay\.port/);
    expect(range).toMatch(/HAMLET_RELAY_PORT/);
    const element = failure(() => loadConfig({ env: { HAMLET_NIPS_RESTRICTED_KINDS: '4,70000' } }));
    expect(element).toMatch(/nips\.restrictedKinds/);
    expect(element).toMatch(/HAMLET_NIPS_RESTRICTED_KINDS/);
    expect(failure(() => loadConfig({ env: { HAMLET_LOG_LEVEL: 'loud' } }))).toMatch(/log\.level.*HAMLET_LOG_LEVEL/);
  });

  it('names an unknown HAMLET_ variable', () => {
    expect(failure(() => loadConfig({ env: { HAMLET_RELAY_PROT: '1' } }))).toMatch(/HAMLET_RELAY_PROT/);
    expect(failure(() => loadConfig({ env: { HAMLET_NOPE: '1' } }))).toMatch(/HAMLET_NOPE/);
    // Other variables are none of Hamlet's business.
    expect(loadConfig({ env: { HAMLETX: '1', PATH: '/bin' } }).relay.port).toBe(7777);
  });

  it('ships config/default.toml exactly as renderDefaultToml() renders the schema', () => {
    expect(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')).toBe(renderDefaultToml());
  });
});

/** Runs bin/hamlet.js with a clean HAMLET_* environment. */
function hamlet(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HAMLET_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/hamlet.js'), ...args], { cwd: dir, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('hamlet CLI configuration errors', () => {
  const noStack = (stderr: string) => {
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/ConfigError|Error:/);
  };

  it('start --config bad.toml exits 2 naming the key on stderr, without a stack trace', async () => {
    const bad = tomlFile('[limits]\nmaxSubscriptions = "many"\n[relay]\nport = 0\n');
    const r = await hamlet(['start', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/limits\.maxSubscriptions/);
    noStack(r.stderr);
    expect(r.stdout).toBe('');
  });

  it('start exits 2 for an unknown key in the file and for a bad or unknown HAMLET_ variable', async () => {
    const unknown = await hamlet(['start', '--config', tomlFile('[relay]\nport = 0\nlisten = "x"\n')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/relay\.listen/);
    noStack(unknown.stderr);
    const badEnv = await hamlet(['start'], { HAMLET_RELAY_PORT: 'seventy' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/HAMLET_RELAY_PORT/);
    noStack(badEnv.stderr);
    const unknownEnv = await hamlet(['start'], { HAMLET_RELAY_PROT: '1' });
    expect(unknownEnv.code).toBe(2);
    expect(unknownEnv.stderr).toMatch(/HAMLET_RELAY_PROT/);
    noStack(unknownEnv.stderr);
  });

  it('config --defaults prints the shipped defaults; config --config validates a file', async () => {
    const defaults = await hamlet(['config', '--defaults']);
    expect(defaults.code).toBe(0);
    expect(defaults.stdout).toBe(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
    const good = await hamlet(['config', '--config', tomlFile('[relay]\nport = 7001\n')], { HAMLET_LIMITS_MAX_LIMIT: '77' });
    expect(good.code).toBe(0);
    const parsed = JSON.parse(good.stdout) as { relay: { port: number }; limits: { maxLimit: number } };
    expect(parsed.relay.port).toBe(7001);
    expect(parsed.limits.maxLimit).toBe(77);
    const bad = await hamlet(['config', '--config', tomlFile('[storage]\nmapSizeMb = 1\n')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/storage\.mapSizeMb/);
  });
});

/** Step names per stage, as the engine will compose them. */
const stepNames = (c: Config) => Object.fromEntries(Object.entries(composePipelines(c.policies).pipelines).map(([stage, steps]) => [stage, steps.map((s) => s.entry.name ?? s.entry.use)]));
const DEFAULT_WRITE = ['rateLimit', 'sizeLimits', 'hellthread', 'duplicates'];
const asTree = (c: Config) => c as unknown as Record<string, Record<string, unknown>>;

describe('policy configuration: add, remove, replace', () => {
  it('renders the defaults as TOML that parses back to the schema defaults, through the loader too', () => {
    const text = renderDefaultToml();
    expect(configSchema.parse(parseToml(text))).toEqual(configSchema.parse({}));
    const loaded = loadConfig({ file: tomlFile(text), env: {} });
    const defaults = configSchema.parse({});
    expect({ ...loaded.policies, dir: '' }).toEqual({ ...defaults.policies, dir: '' });
    expect(stepNames(loaded).write).toEqual(DEFAULT_WRITE);
  });

  it('renders a config with an added write policy as TOML that parses back to the same config', () => {
    const config = buildConfig({ policies: { add: { write: [{ use: 'kinds', name: 'no reactions', options: { deny: [7, [9000, 9999]] }, after: 'sizeLimits' }] } } });
    const text = renderToml(asTree(config));
    expect(text).toMatch(/^\[\[policies\.add\.write\]\]$/m);
    expect(configSchema.parse(parseToml(text))).toEqual(config);
    const loaded = loadConfig({ file: tomlFile(text), env: {} });
    expect(loaded.policies.add).toEqual(config.policies.add);
    expect(stepNames(loaded).write).toEqual(['rateLimit', 'sizeLimits', 'no reactions', 'hellthread', 'duplicates']);
  });

  it('keeps the default pipeline when [[policies.add.write]] is appended to a copy of the defaults', () => {
    const file = tomlFile(`${renderDefaultToml()}\n[[policies.add.write]]\nuse = "kinds"\noptions = { deny = [7] }\nbefore = "hellthread"\n`);
    const config = loadConfig({ file, env: {} });
    expect(stepNames(config).write).toEqual(['rateLimit', 'sizeLimits', 'kinds', 'hellthread', 'duplicates']);
  });

  it('removes steps by name, from every stage or one, and moves one by removing and adding it back', () => {
    const config = loadConfig({
      file: tomlFile('[policies]\nremove = ["hellthread", "read.rateLimit", "write.duplicates"]\n[[policies.add.write]]\nuse = "duplicates"\nbefore = "rateLimit"\n'),
      env: {},
    });
    expect(stepNames(config)).toMatchObject({ connection: ['rateLimit'], write: ['duplicates', 'rateLimit', 'sizeLimits'], read: [] });
    expect(loadConfig({ env: { HAMLET_POLICIES_REMOVE: 'hellthread' } }).policies.remove).toEqual(['hellthread']);
  });

  it('names the key of a step placed by a name that is not there, and of a name that matches nothing', () => {
    const message = failure(() =>
      loadConfig({ file: tomlFile('[policies]\nremove = ["hellthraed"]\n[[policies.add.write]]\nuse = "kinds"\nafter = "sizelimits"\nbefore = "x"\n'), env: {} }),
    );
    expect(message).toMatch(/^policies\.remove\[0\]: no step named "hellthraed" in any pipeline/m);
    expect(message).toMatch(/^policies\.add\.write\[0\]: give before or after, not both/m);
    const after = failure(() => loadConfig({ file: tomlFile('[[policies.add.write]]\nuse = "kinds"\nafter = "sizelimits"\n'), env: {} }));
    expect(after).toMatch(/^policies\.add\.write\[0\]\.after: no step named "sizelimits" in the write pipeline \(steps: rateLimit, sizeLimits, hellthread, duplicates\)/m);
  });

  it('lists every key, and every built-in option, in config --keys', async () => {
    const r = await hamlet(['config', '--keys']);
    expect(r.code).toBe(0);
    for (const row of describeKeys()) expect(r.stdout).toContain(`${row.key} = `);
    expect(r.stdout).toMatch(/^policies\.add = \{\} \(hot\)$/m);
    expect(r.stdout).toMatch(/^rateLimit\.exemptIps = /m);
    expect(r.stdout).toMatch(/^duplicates\.exemptIps = /m);
  });

  it('config -c refuses unknown keys and wrong types in entries, naming each key', async () => {
    const r = await hamlet(['config', '-c', tomlFile('[policies]\ntimeoutMs = "fast"\n[[policies.add.write]]\nuse = "kinds"\noptoins = { deny = [7] }\nisolate = "thread"\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ {2}policies\.timeoutMs: /m);
    expect(r.stderr).toMatch(/^ {2}policies\.add\.write\[0\]\.optoins: unknown key/m);
    expect(r.stderr).toMatch(/^ {2}policies\.add\.write\[0\]\.isolate: /m);
    expect(r.stdout).toBe('');
  });

  it('config -c refuses a policy that is neither a built-in nor a file, bad built-in options and bad members, naming each key', async () => {
    mkdirSync(join(dir, 'policies.d'), { recursive: true });
    writeFileSync(join(dir, 'policies.d', 'mine.mjs'), 'export const write = () => ({ action: "accept" });');
    const file = tomlFile(
      '[policies]\nmembers = ["zz"]\nwrite = [{ use = "nope" }, { use = "hellthread", options = { maxPtags = 1 } }, { use = "mine" }]\n',
    );
    const r = await hamlet(['config', '-c', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ {2}policies\.members\[0\]: not a pubkey/m);
    expect(r.stderr).toMatch(/^ {2}policies\.write\[0\]\.use: "nope" is neither a built-in \(.*\) nor a policy file in /m);
    expect(r.stderr).toMatch(/^ {2}policies\.write\[1\]\.options: Unrecognized key: "maxPtags" \(hellthread\)$/m);
    // An existing file in policies.dir (beside the config file) is fine.
    expect(r.stderr).not.toMatch(/write\[2\]/);
  });

  it('config -c accepts a replaced pipeline but says which default steps it leaves out', async () => {
    const r = await hamlet(['config', '-c', tomlFile('[[policies.write]]\nuse = "kinds"\noptions = { deny = [7] }\n')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: policies\.write replaces the default write pipeline, leaving out rateLimit, sizeLimits, hellthread, duplicates; .*\[\[policies\.add\.write\]\]/);
    expect((JSON.parse(r.stdout) as Config).policies.write).toEqual([{ use: 'kinds', options: { deny: [7] } }]);
  });

  it('start with a bad members entry exits non-zero at once, naming the key on stderr', async () => {
    const r = await hamlet(['start', '--config', tomlFile(`[relay]\nport = 0\n[storage]\ndataDir = "${join(dir, 'never')}"\n[policies]\nmembers = ["zz"]\n`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ {2}policies\.members\[0\]: not a pubkey/m);
    expect(r.stdout).toBe('');
  });

  it('start with a policy file that fails to load exits 1 naming the entry, instead of hanging', async () => {
    mkdirSync(join(dir, 'failing.d'), { recursive: true });
    writeFileSync(join(dir, 'failing.d', 'fine.mjs'), 'export const write = () => ({ action: "accept" });');
    writeFileSync(join(dir, 'failing.d', 'broken.mjs'), 'throw new Error("broken on purpose");');
    const data = join(dir, 'failing-data');
    const r = await hamlet([
      'start',
      '--config',
      tomlFile(`[relay]\nport = 0\n[storage]\ndataDir = "${data}"\n[log]\nlevel = "error"\n[policies]\ndir = "failing.d"\nwrite = [{ use = "all", options = { policies = [{ use = "fine" }, { use = "broken" }] } }]\n`),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/policies\.write\[0\].*broken on purpose/);
  });
});
