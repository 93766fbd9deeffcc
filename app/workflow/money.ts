// RSD amounts are integer para (1 dinar = 100 para) held in a bigint, so sums are exact and no
// binary fraction ever enters a slip.
//
// Rounding rule: a line (rate × hours, or rate × hours × percent) is computed exactly and rounded
// once, at the end, to whole para, half away from zero (0.005 → 0.01, -0.005 → -0.01; for the
// positive amounts of a slip this is the usual half-up). Sums of lines are exact and never
// rounded again.

export type MoneyLocale = 'sr-Cyrl' | 'sr-Latn' | 'en';

/** A quantity such as hours ('2.5') or a percentage ('26'). A number is read as the decimal it prints as. */
export type Quantity = string | number;

const NBSP = '\u00a0';

const styles: Record<MoneyLocale, { group: string; point: string; currency: string; before: boolean }> = {
  'sr-Cyrl': { group: '.', point: ',', currency: 'дин.', before: false },
  'sr-Latn': { group: '.', point: ',', currency: 'din.', before: false },
  en: { group: ',', point: '.', currency: 'RSD', before: true },
};

const plainPattern = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const localePatterns = Object.fromEntries(
  Object.entries(styles).map(([locale, { group, point }]) => {
    const mark = '(?:RSD|дин\\.?|din\\.?)';
    const [g, p] = [group, point].map(escape);
    const number = `(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${p}(\\d{1,2}))?`;
    return [locale, new RegExp(`^(-)?(?:${mark}\\s*)?${number}(?:\\s*${mark})?$`, 'iu')];
  }),
) as Record<MoneyLocale, RegExp>;

/**
 * Reads an amount: '1234.50' (or '1234.5', '1234') without a locale; with one, the locale's own
 * form as `formatMoney` writes it, grouping and currency optional ('1.234,50 дин.', '1234,5').
 * More than two decimals is not an amount. Returns para, or null when the text is not an amount.
 */
export function parseMoney(text: string, locale?: MoneyLocale): bigint | null {
  const match = (locale ? localePatterns[locale] : plainPattern).exec(text.trim());
  if (!match) return null;
  const [, sign, whole, cents = ''] = match;
  const para = BigInt(whole.replace(/\D/g, '')) * 100n + BigInt(cents.padEnd(2, '0'));
  return sign ? -para : para;
}

function parts(amount: bigint): { sign: string; whole: string; cents: string } {
  const abs = amount < 0n ? -amount : amount;
  return {
    sign: amount < 0n ? '-' : '',
    whole: (abs / 100n).toString(),
    cents: (abs % 100n).toString().padStart(2, '0'),
  };
}

/** The plain decimal form for storage and CSV: '1234.50', '-0.05'. */
export function moneyToDecimal(amount: bigint): string {
  const { sign, whole, cents } = parts(amount);
  return `${sign}${whole}.${cents}`;
}

/**
 * The amount as a reader of the locale writes it: '1.234,50 дин.', '1.234,50 din.',
 * 'RSD 1,234.50'. Separators are fixed here rather than taken from Intl, whose output differs
 * between ICU versions in Node and in browsers.
 */
export function formatMoney(amount: bigint, locale: MoneyLocale): string {
  const style = styles[locale];
  const { sign, whole, cents } = parts(amount);
  const number = `${whole.replace(/\B(?=(\d{3})+$)/g, style.group)}${style.point}${cents}`;
  return style.before
    ? `${sign}${style.currency}${NBSP}${number}`
    : `${sign}${number}${NBSP}${style.currency}`;
}

/** An exact decimal: value = units / 10^scale. */
function decimal(quantity: Quantity): { units: bigint; scale: number } {
  const text = typeof quantity === 'number' ? String(quantity) : quantity.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal number: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(whole + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

/** numerator / denominator rounded half away from zero; the denominator is positive. */
function roundDivide(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = remainder < 0n ? -2n * remainder : 2n * remainder;
  if (twice < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

/** Pay for `hours` at an hourly `rate` (para), rounded once to para. */
export function moneyTimesHours(rate: bigint, hours: Quantity): bigint {
  const h = decimal(hours);
  return roundDivide(rate * h.units, 10n ** BigInt(h.scale));
}

/**
 * The increase for `hours` at `percent` of the hourly `rate` (Labour Law art. 108: e.g. 26 for
 * overtime and night work, 110 for a public holiday), rounded once to para.
 */
export function premiumAmount(rate: bigint, hours: Quantity, percent: Quantity): bigint {
  const h = decimal(hours);
  const p = decimal(percent);
  return roundDivide(rate * h.units * p.units, 100n * 10n ** BigInt(h.scale + p.scale));
}

export function sumMoney(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}
