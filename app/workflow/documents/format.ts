// How a document's stored values read to a person: the forms a Serbian office writes dates,
// decimals and amounts in, option labels instead of codes, names instead of ids.
import { formatDecimalText } from '../../i18n/format';
import { formatMoney, parseMoney } from '../money';
import type { Locale } from '../template/labels';
import type { Computed, Field } from '../template/schema';

const belgrade = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Belgrade',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const HOUR_MS = 3_600_000;
/** Belgrade's offset from UTC in ms, by UTC hour: it changes only on the hour (CET ↔ CEST). */
const offsets = new Map<number, number>();
const OFFSETS_KEPT = 50_000;

/** Belgrade's offset from UTC at `ms`, asked of Intl once per hour of time. */
function belgradeOffset(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const part = Object.fromEntries(belgrade.formatToParts(hour * HOUR_MS).map((p) => [p.type, Number(p.value)]));
    offset = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute) - hour * HOUR_MS;
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * An instant as a clerk in Serbia reads it: '02.12.2026.' and '16:05', Belgrade time. The
 * registry log shows one per line and its CSV one per registered document, so Intl is asked
 * only for the zone's offset, once per hour of time.
 */
export function belgradeDateTime(at: Date): { date: string; time: string } {
  const local = new Date(at.getTime() + belgradeOffset(at.getTime()));
  return {
    date: `${two(local.getUTCDate())}.${two(local.getUTCMonth() + 1)}.${local.getUTCFullYear()}.`,
    time: `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`,
  };
}

/** A calendar date 'YYYY-MM-DD' as 'DD.MM.YYYY.'; anything else is shown as stored. */
export function displayDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}.` : iso;
}

/** A decimal string as the locale writes it ('3.50' → '3,50', '1234.5' → '1.234,5' in Serbian). */
export function displayDecimal(value: string, locale: Locale): string {
  return formatDecimalText(value, locale);
}

function displayMoney(value: string, locale: Locale): string {
  const para = parseMoney(value);
  return para === null ? value : formatMoney(para, locale);
}

/** A stored number, amount or calendar value as the reader's locale writes it; the same on every surface. */
export function displayScalar(type: string, text: string, locale: Locale): string {
  switch (type) {
    case 'decimal':
      return displayDecimal(text, locale);
    case 'money':
      return displayMoney(text, locale);
    case 'date':
      return displayDate(text);
    case 'datetime': {
      const [date, time] = text.split('T');
      return time ? `${displayDate(date)} ${time}` : displayDate(date);
    }
    case 'month': {
      const m = /^(\d{4})-(\d{2})$/.exec(text);
      return m ? `${m[2]}.${m[1]}.` : text;
    }
    default:
      return text;
  }
}

/** Names and titles for the ids a document refers to, already in the reader's script. */
export interface ValueLookups {
  staff(id: string): string | undefined;
  unit(id: string): string | undefined;
  document(id: string): string | undefined;
  attachment(id: string): string | undefined;
  yes: string;
  no: string;
  /** Shown for an empty value. */
  empty: string;
}

/** One field's stored value for a reader; an id that no longer resolves is shown as stored rather than hidden. */
export function displayFieldValue(field: Field, value: unknown, locale: Locale, lookups: ValueLookups): string {
  if (field.type === 'checkbox') return value === true ? lookups.yes : lookups.no;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return lookups.empty;
  if (field.type === 'attachment') {
    const ids = Array.isArray(value) ? value.map(String) : [String(value)];
    return ids.map((id) => lookups.attachment(id) ?? id).join(', ');
  }
  const text = String(value);
  switch (field.type) {
    case 'decimal':
    case 'money':
    case 'date':
    case 'datetime':
    case 'month':
      return displayScalar(field.type, text, locale);
    case 'select':
      return field.options.find((o) => o.value === text)?.label[locale] ?? text;
    case 'staff':
      return lookups.staff(text) ?? text;
    case 'orgUnit':
      return lookups.unit(text) ?? text;
    case 'document':
      return lookups.document(text) ?? text;
    default:
      return text;
  }
}

export function displayComputedValue(computed: Pick<Computed, 'kind'>, value: unknown, locale: Locale, empty: string): string {
  if (value === undefined || value === null || value === '') return empty;
  const text = String(value);
  if (computed.kind === 'money') return displayMoney(text, locale);
  if (computed.kind === 'decimal') return displayDecimal(text, locale);
  return text;
}
