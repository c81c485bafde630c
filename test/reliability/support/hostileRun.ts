import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { HostileGenerator } from './hostile.ts';

/** A relay answer that breaks the rules for hostile input. */
export interface Violation {
  family: string;
  frame: string;
  answer: string;
}

export interface HostileStats {
  sent: number;
  answers: Record<string, number>;
  /** Connections cut with a frame still unanswered (a silent cut), reopened to go on. */
  reconnects: number;
  /** Connections the relay closed (1009) after answering a frame far past maxMessageBytes. */
  closedAfterAnswer: number;
  violations: Violation[];
}

const PREFIX = /^[a-z-]+: /;

/** Resident set size of a process, from /proc (Linux). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Whether `f` is an acceptable answer to a hostile frame; a served REQ/COUNT only where allowed. */
function judge(f: unknown[], mayServe: boolean): string | undefined {
  const [verb] = f;
  if (verb === 'NOTICE') return typeof f[1] === 'string' && PREFIX.test(f[1]) && !f[1].startsWith('error:') ? undefined : 'NOTICE without a standard prefix (or an internal error)';
  if (verb === 'OK') return f[2] === false && typeof f[3] === 'string' && PREFIX.test(f[3]) && !f[3].startsWith('error:') ? undefined : 'OK without false and a standard prefix';
  if (verb === 'CLOSED') return typeof f[2] === 'string' && PREFIX.test(f[2]) && !f[2].startsWith('error:') ? undefined : 'CLOSED without a standard prefix';
  if ((verb === 'EOSE' || verb === 'COUNT') && mayServe) return undefined;
  return `unexpected ${String(verb)}`;
}

/**
 * Sends `count` frames from `gen` over one connection, `window` at a time, and checks that
 * each gets exactly one acceptable answer (EVENTs before an EOSE are not answers). With
 * window 1 every violation names its frame. `between` runs every `every` frames (another
 * client checks it is still served).
 */
export async function sendHostile(
  url: string,
  gen: HostileGenerator,
  count: number,
  opts: { window?: number; answerTimeoutMs?: number; every?: number; between?: (sent: number) => Promise<void> } = {},
): Promise<HostileStats> {
  const window = opts.window ?? 1;
  const stats: HostileStats = { sent: 0, answers: {}, reconnects: 0, closedAfterAnswer: 0, violations: [] };
  const waiting: { family: string; frame: string; mayServe: boolean }[] = [];
  let ws = await open(url);
  let wake: (() => void) | undefined;
  let closed = false;
  let closeCode = 0;
  const attach = (socket: WebSocket) => {
    closed = false;
    socket.on('message', (data) => {
      const f = JSON.parse(data.toString()) as unknown[];
      if (f[0] === 'AUTH' || f[0] === 'EVENT') return;
      // With a window, answers are matched to frames in order only loosely; the verdict is per answer.
      const pending = waiting.shift();
      stats.answers[String(f[0])] = (stats.answers[String(f[0])] ?? 0) + 1;
      if (!pending) {
        stats.violations.push({ family: '(none pending)', frame: '', answer: JSON.stringify(f).slice(0, 300) });
      } else {
        const why = judge(f, window > 1 || pending.mayServe);
        if (why) stats.violations.push({ family: pending.family, frame: pending.frame, answer: `${why}: ${JSON.stringify(f).slice(0, 300)}` });
      }
      if (f[0] === 'EOSE') socket.send(JSON.stringify(['CLOSE', f[1]]));
      wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', (code) => {
      closeCode = code;
      closed = true;
      wake?.();
    });
  };
  attach(ws);
  const timeout = opts.answerTimeoutMs ?? 10_000;
  while (stats.sent < count || waiting.length > 0) {
    if (closed) {
      // Closed by the relay after it answered a frame far past the limit (1009, with the NOTICE
      // or OK before it; frames sent after that one go unanswered), or cut without a word.
      if (closeCode === 1009) stats.closedAfterAnswer++;
      else stats.reconnects++;
      waiting.length = 0;
      ws = await open(url);
      attach(ws);
      // Nothing waits now: after the last frame there is nothing left to wait for.
      continue;
    }
    if (stats.sent < count && waiting.length < window) {
      const h = gen.next();
      waiting.push({ family: h.family, frame: (typeof h.data === 'string' ? h.data : h.data.toString('hex')).slice(0, 200), mayServe: h.mayServe ?? false });
      ws.send(h.data, { binary: h.binary ?? false });
      stats.sent++;
      if (opts.between && opts.every && stats.sent % opts.every === 0) await opts.between(stats.sent);
      continue;
    }
    const before = waiting.length;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeout);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    wake = undefined;
    if (!closed && waiting.length === before) {
      const lost = waiting.shift()!;
      stats.violations.push({ family: lost.family, frame: lost.frame, answer: `no answer within ${timeout} ms` });
    }
  }
  ws.close();
  return stats;
}
