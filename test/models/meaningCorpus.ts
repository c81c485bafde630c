/**
 * A small village corpus where each topic is written in many words: posts draw from a topic's
 * word pool, so two posts on one topic often share no word at all; a third carry the topic's
 * name as a hashtag, as villages tag some of their posts. Seeded, deterministic.
 */
export const TOPIC_WORDS: Record<string, string[]> = {
  garden: 'tomato seedling compost soil raised bed watering weeds harvest mulch trowel greenhouse pruning roses beans lettuce sprout fertiliser allotment'.split(' '),
  music: 'guitar chord melody drums band concert album rehearsal tuning amplifier lyrics chorus bass piano setlist vinyl gig drummer'.split(' '),
  astronomy: 'telescope nebula galaxy eyepiece orbit planet jupiter saturn moon crater eclipse comet stargazing meteor constellation aperture tripod'.split(' '),
  cooking: 'recipe oven simmer garlic onion sauce bake dough flour spice pan roast broth knife chopping skillet stew'.split(' '),
};
const COMMON = 'the a my today just really so and with this was is it very new some'.split(' ');

export function meaningCorpus(posts = 2000, seed = 42): { topic: string; text: string }[] {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
  const topics = Object.keys(TOPIC_WORDS);
  return Array.from({ length: posts }, (_, i) => {
    const topic = topics[i % topics.length]!;
    const words = Array.from({ length: 5 + Math.floor(r() * 6) }, () => (r() < 0.4 ? pick(COMMON) : pick(TOPIC_WORDS[topic]!)));
    return { topic, text: words.join(' ') + (r() < 1 / 3 ? ` #${topic}` : '') };
  });
}
