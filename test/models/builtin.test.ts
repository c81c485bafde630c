import { describe, expect, it } from 'vitest';
import { BUILTIN_EMBEDDING_DIMS, embedOne } from '../../models/builtin/embedder.ts';
import { classifyOne } from '../../models/builtin/toxicity.ts';
import { dot, norm } from './helpers.ts';

describe('built-in embedding', () => {
  it('gives deterministic unit vectors of the configured size', () => {
    const a = embedOne('Tomatoes are ripening in the village garden');
    expect(a).toHaveLength(BUILTIN_EMBEDDING_DIMS);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(Array.from(embedOne('Tomatoes are ripening in the village garden'))).toEqual(Array.from(a));
    expect(embedOne('x', 64)).toHaveLength(64);
  });

  it('puts texts that share words (and word forms) closer than unrelated ones', () => {
    const garden = embedOne('my tomatoes in the garden are ripening');
    const garden2 = embedOne('ripe tomato harvest from the community garden');
    const bitcoin = embedOne('bitcoin price chart and lightning fees');
    expect(dot(garden, garden2)).toBeGreaterThan(dot(garden, bitcoin) + 0.1);
  });

  it('gives the zero vector for text without words, and ignores nostr: references', () => {
    expect(norm(embedOne(''))).toBe(0);
    expect(norm(embedOne('!!! ...'))).toBe(0);
    expect(Array.from(embedOne('hello nostr:npub1abcdef world'))).toEqual(Array.from(embedOne('hello world')));
  });
});

describe('built-in toxicity', () => {
  it('scores insults, profanity and threats high and ordinary talk low', () => {
    expect(classifyOne('you are a pathetic idiot').toxic).toBeGreaterThan(0.8);
    expect(classifyOne('you are a pathetic idiot').insult).toBeGreaterThan(0.8);
    expect(classifyOne('I will kill you').threat).toBeGreaterThan(0.5);
    expect(classifyOne('this is fucking bullshit').obscene).toBeGreaterThan(0.8);
    for (const text of ['What a lovely morning in the garden', 'The meeting is at 6pm, bring soup', 'kill the process and restart it']) {
      const s = classifyOne(text);
      expect(s.toxic, text).toBeLessThan(0.5);
      expect(s.threat, text).toBeLessThan(0.5);
    }
  });

  it('sees through leetspeak and stretched letters', () => {
    expect(classifyOne('u r an 1d10t').insult).toBeGreaterThan(0.5);
    expect(classifyOne('you are stuuuuupid').insult).toBeGreaterThan(0.5);
  });
});
