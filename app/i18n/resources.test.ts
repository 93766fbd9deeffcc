import { describe, expect, it } from 'vitest';
import { resources, type Locale } from './resources';
import type { TextTree } from './texts';

function keys(tree: TextTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}
// Plural forms differ by language (Serbian has `_few`); compare the base keys.
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe('texts', () => {
  const all = Object.fromEntries(Object.entries(resources).map(([l, r]) => [l, new Set(keys(r.translation).map(base))])) as Record<Locale, Set<string>>;

  it('has every text in all three locales', () => {
    expect([...all['sr-Cyrl']].sort()).toEqual([...all.en].sort());
    expect([...all['sr-Latn']].sort()).toEqual([...all.en].sort());
  });

  it('writes Serbian Latin without a Cyrillic letter, except the names of the languages', () => {
    const cyrillic = keys(resources['sr-Latn'].translation)
      .filter((k) => !k.startsWith('languages.'))
      .filter((k) => /[\u0400-\u04FF]/.test(k.split('.').reduce<unknown>((t, p) => (t as TextTree)[p], resources['sr-Latn'].translation) as string));
    expect(cyrillic).toEqual([]);
  });

  it('has no empty text', () => {
    for (const [locale, r] of Object.entries(resources)) {
      for (const k of keys(r.translation)) {
        const v = k.split('.').reduce<unknown>((t, p) => (t as TextTree)[p], r.translation);
        expect(String(v).trim(), `${locale} ${k}`).not.toBe('');
      }
    }
  });
});
