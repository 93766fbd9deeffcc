// How a document's stored values read to a person: the forms a Serbian office writes dates,
// decimals and amounts in, option labels instead of codes, names instead of ids.
import { formatDecimalText } from '../../i18n/format';
import { formatMoney, parseMoney } from '../money';
import type { Locale } from '../template/labels';
import type { Computed, Field } from '../template/schema';

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
