import { describe, expect, it } from 'vitest';
import { MAX_DETECT_CHARS, detectLanguage, languageDetector } from '../../../lambdas/adapters/language/detect.ts';

describe('language detection', () => {
  it('answers ISO 639-1 codes for German, French, English and Japanese mail', () => {
    expect(detectLanguage('Guten Tag, ich habe eine Frage zu meiner Bestellung. Die Lieferung ist noch nicht angekommen.')).toBe('de');
    expect(detectLanguage("Bonjour, je n'ai toujours pas reçu ma commande. Pouvez-vous vérifier le statut de la livraison ?")).toBe('fr');
    expect(detectLanguage('Hello, my order has not arrived yet. Could you please check the delivery status for me?')).toBe('en');
    expect(detectLanguage('こんにちは、注文した商品がまだ届いていません。配送状況を確認していただけますか。')).toBe('ja');
  });

  it('knows a short Japanese request by its script', () => {
    expect(detectLanguage('注文が届きません')).toBe('ja');
  });

  it('is undefined for text too short or without language', () => {
    expect(detectLanguage('OK thanks')).toBeUndefined();
    expect(detectLanguage('')).toBeUndefined();
    expect(detectLanguage('1234 5678 9012 3456 7890 ++++ ----')).toBeUndefined();
  });

  it('reads only the first MAX_DETECT_CHARS characters', () => {
    const german = 'Guten Tag, ich habe eine Frage zu meiner Bestellung. Die Lieferung ist noch nicht angekommen. ';
    const text = german.repeat(Math.ceil(MAX_DETECT_CHARS / german.length) + 1) + 'Hello, my order has not arrived yet. '.repeat(500);
    expect(detectLanguage(text)).toBe('de');
  });
});

describe('languageDetector', () => {
  it('leaves short English undetermined with the reason, never a hard de', () => {
    // Act
    const short = languageDetector()('Please refund my last order, it was broken.');

    // Assess
    expect(short).toEqual({ explanation: 'language undetermined: de leads nl by 0.033, detection needs 0.100' });
  });

  it('leaves text under 40 characters undetermined and says so', () => {
    expect(languageDetector()('Where is my parcel? Thanks.')).toEqual({
      explanation: 'language undetermined: 27 characters of text, detection needs 40',
    });
  });

  it('leaves a close call between two languages undetermined', () => {
    // Act: 53 characters of English that franc scores German first and Dutch a close second
    const close = languageDetector()('Please refund my last order, it was broken. Thanks!!');

    // Assess
    expect(close.language === undefined || close.language === 'en').toBe(true);
  });

  it('detects a long German text as de and says by how much it leads', () => {
    // Act
    const german = languageDetector()('Guten Tag, ich habe eine Frage zu meiner Bestellung. Die Lieferung ist noch nicht angekommen.');

    // Assess
    expect(german.language).toBe('de');
    expect(german.explanation).toMatch(/^language de detected \(leads by 0\.\d{3}, needs 0\.100\)$/);
  });

  it('chooses only among the configured languages', () => {
    // Prepare
    const german = 'Guten Tag, ich habe eine Frage zu meiner Bestellung. Die Lieferung ist noch nicht angekommen.';

    // Act
    const withoutGerman = languageDetector(['en', 'fr'])(german);
    const onlyEnglish = languageDetector(['en'])(german);
    const onlyGerman = languageDetector(['de'])(german);
    const unknownCodes = languageDetector(['xx'])(german);

    // Assess
    expect(withoutGerman.language).not.toBe('de');
    expect(onlyEnglish.language).toBeUndefined();
    expect(onlyEnglish.explanation).toContain('not one of the configured languages');
    expect(onlyGerman.language).toBe('de');
    expect(unknownCodes).toEqual({ explanation: 'language undetermined: none of the configured languages can be detected' });
  });
});
