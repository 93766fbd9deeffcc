import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatMoney,
  moneyTimesHours,
  moneyToDecimal,
  parseMoney,
  premiumAmount,
  sumMoney,
  type MoneyLocale,
} from './money';

const locales: MoneyLocale[] = ['sr-Cyrl', 'sr-Latn', 'en'];
const nb = '\u00a0';

describe('parseMoney', () => {
  it('reads plain decimal amounts into para', () => {
    expect(parseMoney('1234.50')).toBe(123450n);
    expect(parseMoney('1234.5')).toBe(123450n);
    expect(parseMoney('1234')).toBe(123400n);
    expect(parseMoney(' 0.10 ')).toBe(10n);
    expect(parseMoney('-0.05')).toBe(-5n);
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', 'abc', '1234.505', '12,50', '1,234.50', '.5', '1.', '+1', '1e3', '--1', '١٢']) {
      expect(parseMoney(text), text).toBeNull();
    }
  });

  it('reads each locale as formatMoney writes it, grouping and currency optional', () => {
    expect(parseMoney(`1.234,50${nb}дин.`, 'sr-Cyrl')).toBe(123450n);
    expect(parseMoney('1.234,50 din.', 'sr-Latn')).toBe(123450n);
    expect(parseMoney('1234,5', 'sr-Latn')).toBe(123450n);
    expect(parseMoney('1.234', 'sr-Latn')).toBe(123400n);
    expect(parseMoney('-12.345.678,90 RSD', 'sr-Cyrl')).toBe(-1234567890n);
    expect(parseMoney(`RSD${nb}1,234.50`, 'en')).toBe(123450n);
    expect(parseMoney('-RSD 0.05', 'en')).toBe(-5n);
    expect(parseMoney('1234.5', 'en')).toBe(123450n);
  });

  it('does not take one locale for another', () => {
    expect(parseMoney('1,234.50', 'sr-Latn')).toBeNull();
    expect(parseMoney('1.234,50', 'en')).toBeNull();
    expect(parseMoney('1.23,45', 'sr-Cyrl')).toBeNull();
    expect(parseMoney('12,345', 'sr-Cyrl')).toBeNull();
  });
});

describe('formatMoney', () => {
  it('writes the local form of each locale', () => {
    expect(formatMoney(123450n, 'sr-Cyrl')).toBe(`1.234,50${nb}дин.`);
    expect(formatMoney(123450n, 'sr-Latn')).toBe(`1.234,50${nb}din.`);
    expect(formatMoney(123450n, 'en')).toBe(`RSD${nb}1,234.50`);
    expect(formatMoney(0n, 'sr-Latn')).toBe(`0,00${nb}din.`);
    expect(formatMoney(100_000_000_00n, 'sr-Cyrl')).toBe(`100.000.000,00${nb}дин.`);
    expect(formatMoney(-5n, 'en')).toBe(`-RSD${nb}0.05`);
    expect(formatMoney(-99_999n, 'sr-Latn')).toBe(`-999,99${nb}din.`);
  });

  it('writes the plain form for storage', () => {
    expect(moneyToDecimal(123450n)).toBe('1234.50');
    expect(moneyToDecimal(-5n)).toBe('-0.05');
    expect(moneyToDecimal(0n)).toBe('0.00');
  });
});

describe('line arithmetic', () => {
  it('multiplies a rate by decimal hours', () => {
    expect(moneyTimesHours(100_000n, '2.5')).toBe(250_000n);
    expect(moneyTimesHours(100_000n, 2.5)).toBe(250_000n);
    expect(moneyTimesHours(123_456n, '0.75')).toBe(92_592n);
  });

  it('rounds half away from zero, once per line', () => {
    expect(moneyTimesHours(1n, '0.5')).toBe(1n);
    expect(moneyTimesHours(1n, '0.49')).toBe(0n);
    expect(moneyTimesHours(-1n, '0.5')).toBe(-1n);
    // 3.33 × 0.5 h × 110 % = 1.8315 → 1.83; rounding 3.33 × 0.5 first would give 1.67 → 1.84.
    expect(premiumAmount(333n, '0.5', '110')).toBe(183n);
    // 1.00 × 3 h × 33.3333 % = 0.999999 → 1.00
    expect(premiumAmount(100n, '3', '33.3333')).toBe(100n);
  });

  it('computes the Labour Law premiums', () => {
    // 1234.56 × 2.5 h × 26 % = 802.464
    expect(premiumAmount(123_456n, '2.5', '26')).toBe(80_246n);
    // 850.00 × 8 h × 110 % = 7480.00
    expect(premiumAmount(85_000n, 8, 110)).toBe(748_000n);
    // 1000.00 × 3 h × 26.5 % = 795.00
    expect(premiumAmount(100_000n, '3', '26.5')).toBe(79_500n);
    // 0.50 × 1 h × 1 % = 0.005 → 0.01
    expect(premiumAmount(50n, '1', '1')).toBe(1n);
  });

  it('refuses quantities that are not plain decimals', () => {
    for (const q of ['2,5', 'abc', '', '1e3', Number.NaN, Number.POSITIVE_INFINITY, 1e-7]) {
      expect(() => moneyTimesHours(100n, q), String(q)).toThrow(RangeError);
      expect(() => premiumAmount(100n, '1', q), String(q)).toThrow(RangeError);
    }
  });

  it('sums 0.10 a thousand times to exactly 100.00', () => {
    const dime = parseMoney('0.10')!;
    const total = sumMoney(Array.from({ length: 1000 }, () => dime));
    expect(moneyToDecimal(total)).toBe('100.00');
    expect(formatMoney(total, 'sr-Cyrl')).toBe(`100,00${nb}дин.`);
  });
});

describe('money properties', () => {
  const amount = fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n });

  it('sums regardless of order and grouping', () => {
    fc.assert(
      fc.property(fc.array(amount), fc.array(amount), (a, b) => {
        expect(sumMoney([...a].reverse())).toBe(sumMoney(a));
        expect(sumMoney([sumMoney(a), sumMoney(b)])).toBe(sumMoney([...a, ...b]));
        expect(sumMoney([...b, ...a])).toBe(sumMoney([...a, ...b]));
      }),
    );
  });

  it('treats whole hours as repeated addition', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 300 }), (rate, n) => {
        expect(moneyTimesHours(rate, String(n))).toBe(sumMoney(Array.from({ length: n }, () => rate)));
      }),
    );
  });

  it('matches hand-computed integer arithmetic for premiums', () => {
    const rate = fc.bigInt({ min: 0n, max: 10n ** 9n });
    const quarters = fc.integer({ min: 0, max: 2000 });
    const tenths = fc.integer({ min: 0, max: 3000 });
    fc.assert(
      fc.property(rate, quarters, tenths, (r, q, t) => {
        const hours = `${Math.floor(q / 4)}.${['00', '25', '50', '75'][q % 4]}`;
        const percent = `${Math.floor(t / 10)}.${t % 10}`;
        // r para × q/4 h × t/10 % = r·q·t / 4000 para; half up: ⌊(2n + d) / 2d⌋.
        const n = r * BigInt(q) * BigInt(t);
        expect(premiumAmount(r, hours, percent)).toBe((2n * n + 4000n) / 8000n);
      }),
    );
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(...locales), (a, locale) => {
        expect(parseMoney(formatMoney(a, locale), locale)).toBe(a);
        expect(parseMoney(moneyToDecimal(a))).toBe(a);
      }),
    );
  });
});
