import { describe, expect, it } from 'vitest';
import { loadRulebook, parseRulebook } from '../../policies/rulebook.ts';

describe('rulebook', () => {
  it('ships a default village rulebook', () => {
    const book = loadRulebook();
    expect(book.rules.length).toBeGreaterThanOrEqual(10);
    expect(book.get('spam')).toMatchObject({ title: 'No spam', severity: 'medium' });
  });

  it('names the problem in a broken rulebook', () => {
    expect(() => parseRulebook('[[rule]]\nid = "Bad Id"\ntitle = "x"', 'r.toml')).toThrow(/r.toml: rule.0.id/);
    expect(() => parseRulebook('[[rule]]\nid = "a"\ntitle = "x"\n[[rule]]\nid = "a"\ntitle = "y"')).toThrow(/appears twice/);
    expect(() => parseRulebook('[[rule]]\nid = "a"\ntitle = "x"\nseverity = "dire"')).toThrow(/severity/);
    expect(() => parseRulebook('[[rule]\n')).toThrow(/TOML syntax error/);
  });
});
