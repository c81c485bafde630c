import { FOREIGN_CLOSERS, SHARED_POOLS, type Topic } from './topics.ts';

export type Random = () => number;

export const pick = <T>(xs: readonly T[], random: Random): T => xs[Math.floor(random() * xs.length)]!;

/** A template with its slots filled from the topic's pools (or the shared ones), tidied into a sentence. */
export function fill(template: string, topic: Topic, random: Random): string {
  const text = template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const pool = topic.pools[slot] ?? SHARED_POOLS[slot];
    if (!pool) throw new Error(`template of ${topic.name} names an unknown slot {${slot}}: ${template}`);
    return pick(pool, random);
  });
  const tidy = text.replace(/\s+/g, ' ').replace(/\s+([.,!?:])/g, '$1').trim();
  return tidy.charAt(0).toUpperCase() + tidy.slice(1);
}

/** A Spanish or German sentence of the topic, sometimes with a closing sentence so posts are not word for word the same. */
export function foreign(topic: Topic, lang: 'es' | 'de', random: Random): { text: string; template: number } {
  const sentences = topic[lang];
  const template = Math.floor(random() * sentences.length);
  const closer = pick(FOREIGN_CLOSERS[lang], random);
  return { text: closer ? `${sentences[template]!} ${closer}` : sentences[template]!, template };
}
