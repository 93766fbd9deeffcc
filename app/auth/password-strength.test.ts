import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dictionary } from '@zxcvbn-ts/language-common';
import { contextWords, PASSWORD_MAX, PASSWORD_MIN, passwordLength } from './password-policy';
import { judgePassword } from './password-strength';

const surdulica = contextWords(['Марија Стојановић', 'marija.stojanovic@surdulica.test', 'Општина Сурдулица', 'Opština Surdulica', 'Municipality of Surdulica']);

describe('the password policy', () => {
  it('counts characters as a person does and refuses fewer than 12 or more than 128, whatever they are', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 11 }), (short) => {
        fc.pre(passwordLength(short) < PASSWORD_MIN);
        expect(judgePassword(short, []).problem).toBe('short');
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: PASSWORD_MAX + 1, maxLength: 300 }), (long) => {
        fc.pre(passwordLength(long) > PASSWORD_MAX);
        expect(judgePassword(long, []).problem).toBe('long');
      }),
      { numRuns: 30 },
    );
    // Twelve emoji are twelve characters (24 UTF-16 units), and any composition is allowed.
    expect(passwordLength('🔒'.repeat(12))).toBe(12);
  });

  it('refuses the common passwords of 12 characters and more from the shipped list', () => {
    const common = dictionary['passwords-common'].map(String).filter((p) => passwordLength(p) >= PASSWORD_MIN && passwordLength(p) <= PASSWORD_MAX);
    expect(common.length).toBeGreaterThan(300);
    for (const p of common) expect(judgePassword(p, []).problem, p).not.toBeNull();
  });

  it('refuses a context word with a little padding, in either script and with or without diacritics', () => {
    const padding = fc.constantFrom('2026', '2026!', '!!', '123', '.', '-1990', '#1');
    const word = fc.constantFrom('Surdulica', 'SURDULICA', 'Сурдулица', 'Stojanović', 'Stojanovic', 'Марија', 'marija.stojanovic', 'Delovod', 'деловод');
    fc.assert(
      fc.property(word, padding, fc.boolean(), (w, pad, first) => {
        const password = first ? `${pad}${w}` : `${w}${pad}`;
        fc.pre(passwordLength(password) >= PASSWORD_MIN);
        expect(judgePassword(password, surdulica).problem).toBe('context');
      }),
    );
  });

  it('accepts a passphrase of unrelated words even with a context word in it', () => {
    expect(judgePassword('plavi konj trči preko mosta', surdulica)).toEqual({ score: 4, problem: null });
    expect(judgePassword('Surdulica zelena reka nosi stare čamce', surdulica).problem).toBeNull();
  });

  it('derives the context words of a person and an organisation', () => {
    expect(surdulica).toEqual(expect.arrayContaining(['delovod', 'деловод', 'марија', 'marija', 'stojanović', 'stojanovic', 'surdulica', 'сурдулица', 'opstina', 'municipality', 'marija.stojanovic']));
    // Too short to be a word of its own: "of", "test".
    expect(surdulica).not.toContain('of');
  });
});
