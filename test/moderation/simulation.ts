import { Author, publish } from '../helpers/client.ts';
import { inlineEmbedder } from '../../models/index.ts';
import { trainModerationHead, type ModerationStats, type TrainedVersion } from '../../moderation/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { moderationAt, report, startVillage, visible } from './village.ts';

/** A deterministic sequence, so a run can be repeated (keys, and so jury draws, still differ). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SPAM = ['cheap pills, click now', 'win money fast at this link', 'free crypto, send your keys', 'loans without questions, click', 'buy followers cheap today', 'click here for a prize'];
const FINE = ['tomatoes are ripe in the east garden', 'who has zucchini seeds to swap', 'the market opens at nine on saturday', 'my compost heap is warm at last', 'the bakery has rye bread again', 'choir practice moved to thursday', 'lost a blue scarf near the well', 'the river path is muddy, take boots'];

export interface SimulationResult {
  stats: ModerationStats;
  /** Spam posts hidden by reports before any moderator looked. */
  spamHiddenByReports: number;
  spamPosts: number;
  /** Fine posts the trolls got hidden in the first round, and in the second (after their record). */
  trollHidesRound1: number;
  trollHidesRound2: number;
  trollTargets: number;
  /** Fine posts wrongly upheld by the moderator, and how many of them the appeals restored. */
  wrongUpholds: number;
  restoredOnAppeal: number;
  /** Mean weight of trolls and of honest reporters after the first round. */
  trollWeight: number;
  honestWeight: number;
  /** Fine posts visible at the end (of all fine posts). */
  fineVisible: number;
  fineTotal: number;
  head?: TrainedVersion;
}

/**
 * A simulated village: 3 circles of 8 members, outsiders posting spam, honest members reporting
 * it, 3 trolls reporting their neighbours' fine posts; a hurried moderator who upholds some troll
 * cases by mistake; appeals, juries of 5 that vote right 85% of the time and sometimes not at all,
 * timeouts decided by a moderator; then a second round of trolling; then the moderation head.
 */
export async function simulateVillage(seed = 17): Promise<SimulationResult> {
  const random = rng(seed);
  // No rate limits: the whole village publishes from one loopback connection.
  const v = await startVillage({ moderation: { maxReportsPerHour: 100 }, policies: { write: [] } }, 8, 3);
  try {
    const mod = v.r.moderation!;
    const truth = new Map<string, 'spam' | 'fine'>();
    const post = async (who: Author, text: string, kind: 'spam' | 'fine'): Promise<NostrEvent> => {
      const e = who.sign({ content: `${text} (${Math.floor(random() * 1e6)})` });
      await publish(v.client, e);
      truth.set(e.id, kind);
      return e;
    };
    const trolls = v.circles[0]!.slice(0, 3);
    const honest = v.members.filter((m) => !trolls.includes(m));
    const spammers = [new Author(), new Author(), new Author()];
    const spam: NostrEvent[] = [];
    for (let i = 0; i < 12; i++) spam.push(await post(spammers[i % 3]!, SPAM[i % SPAM.length]!, 'spam'));
    const fine: NostrEvent[] = [];
    for (const [i, m] of v.members.entries()) fine.push(await post(m, FINE[i % FINE.length]!, 'fine'));

    // Honest members report spam they come across (35% each); trolls report circle 3's fine posts.
    for (const s of spam) for (const m of honest) if (random() < 0.35) await publish(v.client, report(m, s, 'spam'));
    const targets = fine.filter((f) => v.circles[2]!.some((m) => m.pubkey === f.pubkey));
    for (const t of targets) for (const troll of trolls) await publish(v.client, report(troll, t, 'profanity'));
    await mod.settled();
    const spamHiddenByReports = spam.filter((s) => mod.getCase(s.id)?.visibility === 'hidden').length;
    const trollHidesRound1 = targets.filter((t) => mod.getCase(t.id)?.visibility === 'hidden').length;

    // A hurried moderator: right on spam, wrong on 3 of the troll cases.
    let wrongUpholds = 0;
    for (const c of mod.listCases({ status: ['open'] })) {
      const isSpam = truth.get(c.id) === 'spam';
      const mistake = !isSpam && wrongUpholds < 3 && random() < 0.5;
      if (mistake) wrongUpholds++;
      mod.decide(c.id, { outcome: isSpam || mistake ? 'uphold' : 'overturn', by: 'moderator', moderator: 'hurried' });
    }
    await mod.settled();

    // Authors of wrongly upheld posts appeal, and a third of the spammers try too.
    for (const c of mod.listCases({ status: ['decided'] })) {
      const author = v.byPubkey.get(c.event.pubkey) ?? spammers.find((s) => s.pubkey === c.event.pubkey)!;
      if (truth.get(c.id) === 'fine' || random() < 0.33) await publish(v.client, author.sign({ kind: 4560, content: 'please look again', tags: [['e', c.id]] }));
    }
    await mod.settled();
    // Jurors vote right 85% of the time; 20% never vote.
    for (const c of mod.listCases({ status: ['appealed'] })) {
      for (const j of c.appeal!.jury) {
        if (random() < 0.2) continue;
        const right = truth.get(c.id) === 'spam' ? 'uphold' : 'overturn';
        const vote = random() < 0.85 ? right : right === 'uphold' ? 'overturn' : 'uphold';
        await publish(v.client, v.byPubkey.get(j)!.sign({ kind: 4562, content: '', tags: [['e', c.id], ['vote', vote]] }));
      }
    }
    await mod.settled();
    // What the juries left undecided, a moderator decides once their time is over.
    const later = moderationAt(v, () => Date.now() + 73 * 3_600_000);
    for (const c of later.listCases({ status: ['appealed'] })) later.decide(c.id, { outcome: truth.get(c.id) === 'spam' ? 'uphold' : 'overturn', by: 'moderator', moderator: 'careful' });
    await later.close();
    const restoredOnAppeal = mod.listCases().filter((c) => c.appeal && truth.get(c.id) === 'fine' && c.visibility === 'visible').length;

    const weightOf = (who: Author[]) => {
      const w = who.map((m) => mod.cases.reporter(m.pubkey)).map((r) => (r.upheld + 2) / (r.upheld + r.overturned + 4));
      return w.reduce((a, b) => a + b, 0) / w.length;
    };
    const trollWeight = weightOf(trolls);
    const honestWeight = weightOf(honest.filter((m) => mod.cases.reporter(m.pubkey).filed > 0));

    // Round two: the same trolls, new fine posts; their record now speaks against them.
    const round2: NostrEvent[] = [];
    for (const m of v.circles[2]!) round2.push(await post(m, `${FINE[0]} again`, 'fine'));
    for (const t of round2) for (const troll of trolls) await publish(v.client, report(troll, t, 'profanity'));
    await mod.settled();
    const trollHidesRound2 = round2.filter((t) => mod.getCase(t.id)?.visibility === 'hidden').length;

    const allFine = [...fine, ...round2];
    let fineVisible = 0;
    for (const f of allFine) if (await visible(v, f.id)) fineVisible++;
    let head: TrainedVersion | undefined;
    try {
      head = await trainModerationHead({ cases: mod.listCases(), embedder: inlineEmbedder(), registry: mod.heads, now: Date.now() + 15 * 86_400_000 });
    } catch {
      head = undefined;
    }
    return {
      stats: mod.stats(),
      spamHiddenByReports,
      spamPosts: spam.length,
      trollHidesRound1,
      trollHidesRound2,
      trollTargets: targets.length,
      wrongUpholds,
      restoredOnAppeal,
      trollWeight,
      honestWeight,
      fineVisible,
      fineTotal: allFine.length,
      head,
    };
  } finally {
    v.client.close();
    await v.r.destroy();
  }
}

// `node --import tsx test/moderation/simulation.ts` prints the figures.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await simulateVillage(Number(process.argv[2] ?? 17));
  const { head, ...rest } = r;
  console.log(JSON.stringify({ ...rest, head: head && { version: head.version, perLabel: head.card.counts.perLabel, metrics: { macroF1: head.card.metrics.macroF1, precision: head.card.metrics.precision, recall: head.card.metrics.recall } } }, null, 2));
  process.exit(0);
}
