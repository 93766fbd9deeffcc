import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay, formatInstant, formatMonth, formatNumber, INSTANTS_KEPT } from './format';
import { locales } from './resources';

/** Serbian as an office writes it, from the instant's Belgrade wall-clock parts. */
function office(at: number, style: 'stamp' | 'short'): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Belgrade', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}.${p.month}.${p.year}. ${p.hour}:${p.minute}${style === 'stamp' ? `:${p.second}` : ''}`;
}

describe('formatInstant', () => {
  it('writes Serbian as dates in documents are written', () => {
    expect(formatInstant(Date.UTC(2026, 11, 7, 9, 5, 3), 'sr-Cyrl', 'short')).toBe('07.12.2026. 10:05');
    expect(formatInstant(Date.UTC(2026, 6, 1, 22, 0, 9), 'sr-Latn')).toBe('02.07.2026. 00:00:09');
  });

  const style = fc.constantFrom('stamp' as const, 'short' as const);
  // 2000–2100, any millisecond: instants that share a minute, a day or a locale's text.
  const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

  it('writes each instant as a fresh Intl formatter does, in every locale and style, however often asked', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.constantFrom(...locales), style), { minLength: 1, maxLength: 30 }), (asks) => {
        for (const [at, locale, s] of [...asks, ...asks]) {
          const options: Intl.DateTimeFormatOptions =
            s === 'stamp'
              ? { timeZone: 'Europe/Belgrade', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }
              : { timeZone: 'Europe/Belgrade', dateStyle: 'medium', timeStyle: 'short' };
          const expected = locale.startsWith('sr') ? office(at, s) : new Intl.DateTimeFormat(locale, options).format(at);
          expect(formatInstant(at, locale, s)).toBe(expected);
          expect(formatInstant(new Date(at), locale, s)).toBe(expected);
          expect(formatInstant(new Date(at).toISOString(), locale, s)).toBe(expected);
        }
      }),
    );
  });

  it('keeps answering right past the number of texts it keeps', () => {
    const start = Date.UTC(2026, 10, 27, 8);
    for (let i = 0; i <= INSTANTS_KEPT + 10; i++) formatInstant(start + i * 60_000, 'en', 'short');
    expect(formatInstant(start, 'en', 'short')).toBe(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Belgrade', dateStyle: 'medium', timeStyle: 'short' }).format(start));
  });

  it('refuses an invalid instant as Intl does, and keeps nothing for it', () => {
    expect(() => formatInstant('not a date', 'en')).toThrow(RangeError);
    expect(() => formatInstant('not a date', 'en')).toThrow(RangeError);
  });
});

describe('the one way numbers, months and days are written', () => {
  it('writes a number with the locale’s separators, and the decimals asked for', () => {
    expect(formatNumber(1234.5, 'sr-Cyrl')).toBe('1.234,5');
    expect(formatNumber(1234.5, 'sr-Latn', 1)).toBe('1.234,5');
    expect(formatNumber(26, 'sr-Cyrl', 1)).toBe('26,0');
    expect(formatNumber(1234.5, 'en', 2)).toBe('1,234.50');
    expect(formatNumber(-0.25, 'sr-Cyrl')).toBe('-0,25');
  });

  it('names a month as each language does, whatever ICU the server or browser has', () => {
    expect(formatMonth('2026-04', 'sr-Cyrl')).toBe('април 2026.');
    expect(formatMonth('2026-06', 'sr-Latn')).toBe('jun 2026.');
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(formatMonth('2026-13', 'en')).toBe('2026-13');
  });

  it('writes the Belgrade calendar day of an instant as documents do', () => {
    // 23:30 UTC on 31 December is already the new year in Belgrade.
    expect(formatDay('2026-12-31T23:30:00Z')).toBe('01.01.2027.');
    expect(formatDay(new Date('2026-07-15T10:00:00Z'))).toBe('15.07.2026.');
  });
});

