// Dates and numbers as the reader's locale writes them. An Intl formatter costs far more to
// build than to use (toLocaleString builds one on every call), and pages format one per table
// row: each locale-and-options pair is built once per process and kept. Serbian dates are
// written as offices write them, by app/time/belgrade.ts.
import { BELGRADE, belgradeDateTime, belgradeOfficeInstant } from '../time/belgrade';
import { toLatin } from './transliterate';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** `name`: what the options are known by, where the caller has one (else they are spelled out as the key). */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions, name = JSON.stringify(options)): Intl.DateTimeFormat {
  const key = `${locale}|${name}`;
  let format = dateTimeFormats.get(key);
  if (!format) dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

const instantStyles = {
  stamp: { timeZone: BELGRADE, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
  short: { timeZone: BELGRADE, dateStyle: 'medium', timeStyle: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

// Formatting with a time zone costs a few microseconds an instant, and lists show the same
// instants request after request (an inbox's due dates): the text of each is kept, up to
// INSTANTS_KEPT of them, and all forgotten at once past that.
const instantTexts = new Map<string, string>();
export const INSTANTS_KEPT = 20_000;

/**
 * An instant in Belgrade time. Serbian: '27.11.2026. 10:05' (`short`), with seconds (`stamp`),
 * as dates in documents are written; English as Intl writes it.
 */
export function formatInstant(at: string | number | Date, locale: string, style: keyof typeof instantStyles = 'stamp'): string {
  const instant = at instanceof Date ? at : new Date(at);
  const key = `${locale}|${style}|${instant.getTime()}`;
  let text = instantTexts.get(key);
  if (text === undefined) {
    if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid time value');
    text = locale.startsWith('sr') ? belgradeOfficeInstant(instant, style === 'stamp') : dateTimeFormat(locale, instantStyles[style], `instant:${style}`).format(instant);
    if (instantTexts.size >= INSTANTS_KEPT) instantTexts.clear();
    instantTexts.set(key, text);
  }
  return text;
}

// Numbers and amounts on every surface (screen, PDF, CSV for people, email) go through these
// two, with separators fixed here rather than taken from Intl, whose output differs between
// the ICU of Node and of each browser: the page a browser recomputes must read as the server
// wrote it.
const separators: Record<string, { group: string; point: string }> = {
  'sr-Cyrl': { group: '.', point: ',' },
  'sr-Latn': { group: '.', point: ',' },
  en: { group: ',', point: '.' },
};

/** A plain decimal string ('1234.5', '-0.25') as the locale writes it ('1.234,5'); anything else as given. */
export function formatDecimalText(value: string, locale: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const { group, point } = separators[locale] ?? separators.en;
  const [, sign, whole, fraction] = m;
  return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, group)}${fraction ? `${point}${fraction}` : ''}`;
}

export { formatMoney } from '../workflow/money';

/** A number as the locale writes it, with `fractionDigits` decimals when given ('1.234,5'). */
export function formatNumber(n: number, locale: string, fractionDigits?: number): string {
  return formatDecimalText(fractionDigits === undefined ? String(n) : n.toFixed(fractionDigits), locale);
}

// Month names fixed here for the same reason as the separators: the server's and the browser's
// ICU must not disagree about a page the browser hydrates.
const monthNames: Record<'sr-Cyrl' | 'en', readonly string[]> = {
  'sr-Cyrl': ['јануар', 'фебруар', 'март', 'април', 'мај', 'јун', 'јул', 'август', 'септембар', 'октобар', 'новембар', 'децембар'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** A month 'YYYY-MM' by name: 'април 2026.', 'april 2026.', 'April 2026'; anything else as given. */
export function formatMonth(period: string, locale: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!m) return period;
  const index = Number(m[2]) - 1;
  if (locale === 'en') return `${monthNames.en[index]} ${m[1]}`;
  const name = `${monthNames['sr-Cyrl'][index]} ${m[1]}.`;
  return locale === 'sr-Latn' ? toLatin(name) : name;
}

/** The calendar day of an instant in Belgrade, written as dates in documents are ('07.12.2026.'). */
export function formatDay(at: string | number | Date): string {
  return belgradeDateTime(at instanceof Date ? at : new Date(at)).date;
}
