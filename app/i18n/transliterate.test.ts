import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toCyrillic, toLatin } from './transliterate';

describe('transliteration', () => {
  it('maps every letter of the Serbian alphabet', () => {
    expect(toLatin('абвгдђежзијклљмнњопрстћуфхцчџш')).toBe('abvgdđežzijklljmnnjoprstćufhcčdžš');
    expect(toCyrillic('abvgdđežzijklljmnnjoprstćufhcčdžš')).toBe('абвгдђежзијклљмнњопрстћуфхцчџш');
  });

  it('keeps the case of digraphs in titles and in capitals', () => {
    expect(toLatin('Љубица Џаковић')).toBe('Ljubica Džaković');
    expect(toLatin('ЉУБИЦА ЏАКОВИЋ')).toBe('LJUBICA DŽAKOVIĆ');
    expect(toLatin('Општина Сурдулица')).toBe('Opština Surdulica');
    expect(toCyrillic('Njegoš')).toBe('Његош');
    expect(toCyrillic('NJEGOŠ')).toBe('ЊЕГОШ');
    expect(toCyrillic('Agencija za privredne registre')).toBe('Агенција за привредне регистре');
  });

  it('leaves digits, punctuation and other scripts alone', () => {
    expect(toLatin('112-17/2026, «Ω» 한국')).toBe('112-17/2026, «Ω» 한국');
    expect(toCyrillic('112-17/2026, «Ω» 한국')).toBe('112-17/2026, «Ω» 한국');
  });

  it('round-trips any Cyrillic text through Latin', () => {
    const letters = 'абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ .,-0123456789';
    // н+ј, л+ј and д+ж written as two letters are the one ambiguity of the mapping (see toCyrillic).
    const word = fc
      .array(fc.constantFrom(...letters), { maxLength: 40 })
      .map((cs) => cs.join(''))
      .filter((t) => !/[нлНЛ][јЈ]|[дД][жЖ]/.test(t));
    fc.assert(
      fc.property(word, (text) => {
        // Round trip holds letter by letter; only case of digraph letters may vary, so compare lower case.
        expect(toCyrillic(toLatin(text)).toLowerCase()).toBe(text.toLowerCase());
      }),
    );
  });
});
