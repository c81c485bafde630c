import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectLanguage, languageModelInfo } from '../../dvms/labels/language.ts';

const SAMPLES: Record<string, string> = {
  en: 'The tomatoes in our village garden are finally ripe, and we will share them at the market on Saturday.',
  de: 'Die Tomaten in unserem Dorfgarten sind endlich reif, und wir teilen sie am Samstag auf dem Markt.',
  fr: 'Les tomates de notre jardin du village sont enfin mûres, et nous les partagerons au marché samedi.',
  es: 'Los tomates de nuestro huerto del pueblo por fin están maduros y los compartiremos en el mercado el sábado.',
  it: 'Oggi al mercato del paese abbiamo comprato pane fresco, formaggio e pomodori per tutta la settimana.',
  ja: '村の庭のトマトがやっと熟しました。土曜日の市場でみんなに分けます。',
};

describe('language detection (franc, ISO-639-1)', () => {
  for (const [code, text] of Object.entries(SAMPLES)) {
    it(`recognises ${code}`, () => {
      const guess = detectLanguage(text);
      expect(guess?.code).toBe(code);
      expect(guess!.confidence).toBeGreaterThan(0.6);
      expect(guess!.confidence).toBeLessThanOrEqual(1);
    });
  }

  it('reads past links, nostr references and hashtags', () => {
    const text = `${SAMPLES.de} https://example.com/a/very/long/english/path nostr:npub1sg6plzptd64u62a878hep2kev88swjh3tw00gjsfl8f237lmu63q0uf63m #garden #harvest`;
    expect(detectLanguage(text)?.code).toBe('de');
  });

  it('gives no guess for a text too short to tell', () => {
    expect(detectLanguage('gm nostr')).toBeUndefined();
    expect(detectLanguage('https://example.com #tag')).toBeUndefined();
    expect(detectLanguage('', { minLength: 1 })).toBeUndefined();
  });

  it('chooses only among configured languages', () => {
    // Spanish text, but only English and German allowed: one of them, never "es"
    const guess = detectLanguage(SAMPLES.es, { languages: ['en', 'de'] });
    expect(['en', 'de']).toContain(guess?.code);
  });

  it('names the franc version that is installed', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../node_modules/franc/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(languageModelInfo()).toMatchObject({ id: 'franc', version: pkg.version });
  });
});

describe("the village's languages tip franc's near-ties", () => {
  it('a short Spanish post is labelled Spanish once the village is known to write Spanish', async () => {
    const { VillageLanguages } = await import('../../dvms/labels/villageLanguages.ts');
    const text = 'Qué buen partido de fútbol';
    expect(detectLanguage(text)?.code).not.toBe('es');
    const village = new VillageLanguages();
    for (let i = 0; i < 200; i++) village.record('spa', 0.95);
    village.record('glg', 0.5); // an unsure guess teaches nothing
    expect(village.seen).toEqual([['spa', 200]]);
    expect(detectLanguage(text, { village })?.code).toBe('es');
    // a clear text in another language is not talked over
    expect(detectLanguage('Ich habe heute Tomaten im Garten gepflanzt und der Kompost ist fertig', { village })?.code).toBe('de');
  });
});
