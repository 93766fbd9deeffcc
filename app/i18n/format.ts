// Dates and numbers as the reader's locale writes them. An Intl formatter costs far more to
// build than to use (toLocaleString builds one on every call), and pages format one per table
// row: each locale-and-options pair is built once per process and kept.

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
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

/** An instant in Belgrade time: `stamp` as toLocaleString writes it, `short` as '27. 11. 2026. 10:05'. */
export function formatInstant(at: string | number | Date, locale: string, style: 'stamp' | 'short' = 'stamp'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'short' ? { timeZone: 'Europe/Belgrade', dateStyle: 'medium', timeStyle: 'short' } : { timeZone: 'Europe/Belgrade', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' };
  return dateTimeFormat(locale, options).format(at instanceof Date ? at : new Date(at));
}
