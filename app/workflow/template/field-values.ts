import type { FieldValue } from './compute';
import { isDate, isMonth, isTime } from './datetime';
import { compareDecimals, formatDecimal } from './expressions';
import type { MessageCode, MessageParams } from './messages';
import { compilePattern, type Field } from './schema';

/**
 * Turns what a form submits (strings from FormData, or JSON scalars) into a typed field
 * value, or says why it cannot. Pure and deterministic: the browser and the server run
 * this same code, so they can never disagree about a submission.
 */

export type Parsed<T = FieldValue | undefined> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: MessageCode; readonly params: MessageParams };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: MessageCode, params: MessageParams = {}): Parsed<never> => ({ ok: false, code, params });

/** Ids of members, units, documents and attachments: opaque, URL-safe. */
const REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;
const INTEGER = /^-?\d{1,15}$/;
const DECIMAL = /^-?\d{1,15}(?:\.\d+)?$/;
const TIME_WITH_SECONDS = /^(\d{2}:\d{2})(?::00(?:\.0+)?)?$/;
const DATETIME_INPUT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::00(?:\.0+)?)?$/;

/** Trimmed text with browser line breaks normalised; undefined when blank. */
function text(raw: unknown): string | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return null;
  // Browsers submit textarea line breaks as CRLF but count them as one character for maxlength.
  const s = raw.replace(/\r\n?/g, '\n').trim();
  return s === '' ? undefined : s;
}

/** Serbian users write decimal commas and may paste a typographic minus. */
function numeric(s: string): string {
  return s.replace(/^\u2212/, '-').replace(',', '.');
}

export function parseInteger(s: string, min?: number, max?: number): Parsed<number> {
  const n = numeric(s);
  if (!INTEGER.test(n)) return fail(DECIMAL.test(n) ? 'notInteger' : 'notNumber');
  const value = Number(n);
  if (min !== undefined && value < min) return fail('tooSmall', { min });
  if (max !== undefined && value > max) return fail('tooLarge', { max });
  return ok(value === 0 ? 0 : value);
}

/** A decimal string with exactly `scale` places, compared with its bounds exactly. */
export function parseDecimal(s: string, scale: number, min?: number, max?: number): Parsed<string> {
  const n = numeric(s);
  if (!DECIMAL.test(n)) return fail('notNumber');
  const decimals = n.includes('.') ? n.length - n.indexOf('.') - 1 : 0;
  if (decimals > scale) return fail('tooManyDecimals', { scale });
  if (min !== undefined && compareDecimals(n, min) < 0) return fail('tooSmall', { min });
  if (max !== undefined && compareDecimals(n, max) > 0) return fail('tooLarge', { max });
  return ok(formatDecimal(n, { decimals: scale, mode: 'halfUp' }));
}

function checkbox(raw: unknown): Parsed<boolean> {
  if (raw === true || raw === 'on' || raw === 'true') return ok(true);
  if (raw === undefined || raw === null || raw === false || raw === '' || raw === 'off' || raw === 'false') return ok(false);
  return fail('invalid');
}

function references(raw: unknown): Parsed<string[]> {
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const ids: string[] = [];
  for (const item of items) {
    const id = text(item);
    if (id === null) return fail('invalidReference');
    if (id === undefined) continue;
    if (!REFERENCE.test(id)) return fail('invalidReference');
    ids.push(id);
  }
  return ok(ids);
}

function scalar(field: Exclude<Field, { type: 'checkbox' | 'attachment' }>, s: string): Parsed<FieldValue> {
  switch (field.type) {
    case 'text':
    case 'textarea': {
      if (field.minLength !== undefined && s.length < field.minLength) return fail('tooShort', { min: field.minLength });
      if (s.length > field.maxLength) return fail('tooLong', { max: field.maxLength });
      if (field.type === 'text' && field.pattern !== undefined && !compilePattern(field.pattern)?.test(s)) {
        return fail('patternMismatch');
      }
      return ok(s);
    }
    case 'number':
      return parseInteger(s, field.min, field.max);
    case 'decimal':
      return parseDecimal(s, field.scale, field.min, field.max);
    case 'money':
      return parseDecimal(s, 2, field.min, field.max);
    case 'date':
      return isDate(s) ? ok(s) : fail('invalidDate');
    case 'time': {
      const m = TIME_WITH_SECONDS.exec(s);
      return m && isTime(m[1]) ? ok(m[1]) : fail('invalidTime');
    }
    case 'datetime': {
      const m = DATETIME_INPUT.exec(s);
      return m && isDate(m[1]) && isTime(m[2]) ? ok(`${m[1]}T${m[2]}`) : fail('invalidDateTime');
    }
    case 'month':
      return isMonth(s) ? ok(s) : fail('invalidMonth');
    case 'select':
      return field.options.some((o) => o.value === s) ? ok(s) : fail('invalidOption');
    case 'staff':
    case 'orgUnit':
    case 'document':
      return REFERENCE.test(s) ? ok(s) : fail('invalidReference');
  }
}

/** One field's submitted value, typed; `required` is decided by the caller (it depends on the step). */
export function parseFieldValue(field: Field, raw: unknown, required: boolean): Parsed {
  if (field.type === 'checkbox') {
    const r = checkbox(raw);
    if (r.ok && required && !r.value) return fail('mustBeChecked');
    return r;
  }
  if (field.type === 'attachment') {
    const r = references(raw);
    if (!r.ok) return r;
    if (r.value.length === 0) return required ? fail('required') : ok(undefined);
    if (r.value.length > field.maxFiles) return fail('tooManyFiles', { max: field.maxFiles });
    return r;
  }
  // Several values under one name (a tampered form): refuse rather than pick one.
  const s = Array.isArray(raw) ? null : text(raw);
  if (s === null) return fail('invalid');
  if (s === undefined) return required ? fail('required') : ok(undefined);
  return scalar(field, s);
}
