import { seededRandom } from '../../models/train/dataset.ts';

/**
 * A small village whose right tags are known: each topic has its own words; a post mixes a
 * few of its topic's words (and, for a quarter of posts, a second topic's) with everyday
 * filler, and carries the topic hashtags. Topics are used unevenly (gardening most), so the
 * most-used-tags baseline is not trivially bad.
 */
export const VILLAGE_TOPICS: Record<string, string[]> = {
  gardening: 'tomato tomatoes soil seeds compost garden weeds harvest seedlings greenhouse mulch beans'.split(' '),
  bitcoin: 'sats lightning wallet node satoshi halving mempool blocks fees channel invoice onchain'.split(' '),
  music: 'guitar concert band song songs piano choir album rehearsal drums singer melody'.split(' '),
  cooking: 'recipe soup bread oven baking dough spices stew dinner flour roast kitchen'.split(' '),
  weather: 'rain storm forecast sunny snow wind frost clouds thunder temperature drizzle fog'.split(' '),
  cycling: 'bike bicycle ride pedal helmet trail gears saddle tyre cyclists route climb'.split(' '),
  chess: 'chess opening endgame knight bishop rook checkmate gambit pawn tournament blitz queen'.split(' '),
  birds: 'birds robin sparrow feeder owl nest heron binoculars migration chirping hawk wren'.split(' '),
};
const WEIGHTS = [0.26, 0.18, 0.13, 0.11, 0.09, 0.08, 0.08, 0.07];
const FILLER = (
  'today this morning we our the a with and so really great little again finally everyone village friends neighbours ' +
  'nice lovely first week after before time just new old good very some more people here there what think'
).split(' ');

export interface VillagePost {
  content: string;
  tags: string[][];
  created_at: number;
  /** The topics the post is really about (its hashtags). */
  topics: string[];
}

export function villagePosts(n: number, { seed = 3, start = 1_700_000_000 }: { seed?: number; start?: number } = {}): VillagePost[] {
  const random = seededRandom(seed);
  const topics = Object.keys(VILLAGE_TOPICS);
  const pickTopic = (): string => {
    let r = random();
    for (let i = 0; i < topics.length; i++) if ((r -= WEIGHTS[i]!) < 0) return topics[i]!;
    return topics.at(-1)!;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const first = pickTopic();
    let second = random() < 0.25 ? pickTopic() : undefined;
    if (second === first) second = undefined;
    const words: string[] = [];
    const len = 8 + Math.floor(random() * 10);
    for (let w = 0; w < len; w++) {
      const r = random();
      words.push(r < 0.35 ? pick(VILLAGE_TOPICS[first]!) : second && r < 0.5 ? pick(VILLAGE_TOPICS[second]!) : pick(FILLER));
    }
    const mine = second ? [first, second] : [first];
    // some authors also write the hashtag inline; training must not learn to copy it
    if (random() < 0.3) words.push(`#${first}`);
    return { content: words.join(' '), tags: mine.map((t) => ['t', t]), created_at: start + i * 300, topics: mine };
  });
}
