// Summarises V8 .cpuprofile files (from `npm run bench -- --prof`): where the relay's time goes.
// Usage: node --import tsx test/bench/util/profileSummary.ts <file.cpuprofile|dir> [top=25]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export function summarise(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? relative(process.cwd(), f.url.replace(/^file:\/\//, '')) : '(native)';
    const fn = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    const file = f.url ? where.replace(/^node_modules\/((@[^/]+\/)?[^/]+).*/, 'node_modules/$1') : f.functionName || '(native)';
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n');
  return `${file}: ${(total / 1e6).toFixed(2)} s sampled\n-- self time by function --\n${fmt(byFn)}\n-- self time by file/package --\n${fmt(byFile)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: profileSummary.ts <file.cpuprofile|dir> [top]');
    process.exit(2);
  }
  const files = statSync(target).isDirectory() ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f)) : [target];
  for (const f of files) console.log(summarise(f, Number(process.argv[3] ?? 25)));
}
