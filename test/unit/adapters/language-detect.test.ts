import { describe, expect, it } from 'vitest';
import { MAX_DETECT_CHARS, detectLanguage } from '../../../lambdas/adapters/language/detect.ts';

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
