import { KIND_REACTION } from '../../relay/nostr/kinds.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

export interface Thread {
  root: NostrEvent;
  replies: NostrEvent[];
  reactions: number;
  /** Replies count twice: a conversation says more than a like. */
  score: number;
}

/** What an event answers: NIP-10 `e` (root marker first), NIP-22 `E`, or a chat quote `q`. */
function parentOf(e: NostrEvent): string | undefined {
  const root = e.tags.find((t) => t[0] === 'e' && t[3] === 'root') ?? e.tags.find((t) => t[0] === 'E') ?? e.tags.find((t) => t[0] === 'e') ?? e.tags.find((t) => t[0] === 'q');
  return root?.[1];
}

/**
 * A group's conversations from its events: each post that answers nothing is a thread; replies
 * and reactions count towards the thread they reach (through replies to replies too).
 */
export function threadsOf(all: readonly NostrEvent[]): Thread[] {
  // joins, leaves and moderation (NIP-29 9000-9022) are not conversation
  const events = all.filter((e) => e.kind < 9000 || e.kind > 9022);
  const byId = new Map(events.map((e) => [e.id, e]));
  const rootOf = (e: NostrEvent): string => {
    let at = e;
    for (let hops = 0; hops < 50; hops++) {
      const up = parentOf(at);
      const next = up === undefined ? undefined : byId.get(up);
      if (!next) return at.id;
      at = next;
    }
    return at.id;
  };
  const threads = new Map<string, Thread>();
  const posts = events.filter((e) => e.kind !== KIND_REACTION);
  for (const e of posts) if (parentOf(e) === undefined || !byId.has(parentOf(e)!)) threads.set(e.id, { root: e, replies: [], reactions: 0, score: 0 });
  for (const e of events) {
    const t = threads.get(rootOf(e));
    if (!t || t.root === e) continue;
    if (e.kind === KIND_REACTION) t.reactions++;
    else t.replies.push(e);
  }
  for (const t of threads.values()) t.score = 2 * t.replies.length + t.reactions;
  return [...threads.values()].sort((a, b) => b.score - a.score || b.root.created_at - a.root.created_at);
}
