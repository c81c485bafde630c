import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../models/index.ts';
import { tempDir } from './helpers.ts';

const run = promisify(execFile);
const DRIVER = fileURLToPath(new URL('./hamletModelsCli.ts', import.meta.url));

/** Runs `hamlet models …` / `hamlet train …` (just those commands) in a child process. */
async function hamlet(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', DRIVER, ...args], { env: { ...process.env, HAMLET_CONFIG: '' } });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('hamlet models / hamlet train', () => {
  const dir = tempDir();
  const configFile = join(dir.path, 'hamlet.toml');
  let server: Server;
  let hub: string;

  beforeAll(async () => {
    writeFileSync(configFile, `[models]\ndir = ${JSON.stringify(join(dir.path, 'models'))}\nworkers = 1\n[log]\nlevel = "warn"\n`);
    // a hub that serves wrong bytes for every file
    server = createServer((req, res) => void res.writeHead(200).end(`tampered ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  it('list shows the pinned models, none installed, and the built-ins active', async () => {
    const r = await hamlet(['models', 'list', '-c', configFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all-MiniLM-L6-v2\s+not installed/);
    expect(r.stdout).toMatch(/toxic-bert\s+not installed/);
    expect(r.stdout).toMatch(/embedding: hamlet\/builtin-ngram-512 1 \(built-in fallback/);
  });

  it('pull refuses a download whose checksum does not match the pin', async () => {
    const r = await hamlet(['models', 'pull', 'all-MiniLM-L6-v2', '-c', configFile, '--base-url', hub]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('all-MiniLM-L6-v2: checksum mismatch for config.json');
    expect(existsSync(join(dir.path, 'models', 'Xenova/all-MiniLM-L6-v2', 'config.json'))).toBe(false);
  });

  it('pull names the known models when given an unknown one', async () => {
    const r = await hamlet(['models', 'pull', 'gpt-17', '-c', configFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown model "gpt-17"; known: all-MiniLM-L6-v2, toxic-bert');
  });

  it('train embeds a labelled file, trains a head and writes its model card', async () => {
    const topics: Record<string, string[]> = {
      gardening: ['tomatoes in the garden', 'planting garden seeds', 'garden compost and soil', 'watering the garden tomatoes'],
      bitcoin: ['bitcoin price today', 'lightning bitcoin wallet', 'bitcoin fees and blocks', 'stacking bitcoin sats'],
    };
    const lines = Object.entries(topics).flatMap(([label, texts]) =>
      [0, 1, 2, 3, 4].flatMap((round) => texts.map((t, i) => JSON.stringify({ text: `${t} ${round}`, labels: [label], created_at: 1_700_000_000 + round * 10 + i }))),
    );
    const data = join(dir.path, 'labels.jsonl');
    writeFileSync(data, lines.join('\n') + '\n');
    const r = await hamlet(['train', 'topics', '--data', data, '--kind', 'knn', '-c', configFile]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('embedding model: hamlet/builtin-ngram-512 (built-in fallback'); // the log line, at warn
    expect(r.stdout).toMatch(/topics: knn over hamlet\/builtin-ngram-512@1, 2 labels, 32 train \/ 8 held out/);
    const card = JSON.parse(readFileSync(join(dir.path, 'models', 'heads', 'topics.card.json'), 'utf8')) as ModelCard;
    expect(card.metrics.precisionAtK).toBe(1);
    expect(card.dataWindow).toEqual({ since: 1_700_000_000, until: 1_700_000_043 });
  });
});
