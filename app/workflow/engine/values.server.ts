// Conditions on a document's stored values. Who, which day and which month a document is about
// (the fields `employee`, `date` and `month` of the standard templates) are also generated
// columns with indexes; a condition on one of those names reads the column, any other field
// the JSON. Under row level security only the column can serve as an index condition.
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { documents } from '#db/schema';

const columns: Record<string, AnyPgColumn> = {
  employee: documents.valuesEmployee,
  date: documents.valuesDate,
  month: documents.valuesMonth,
};

/** The stored value of `field` as text. */
export function valueOf(field: string): SQL {
  return Object.hasOwn(columns, field) ? sql`${columns[field]}` : sql`(${documents.values}->>${field})`;
}

/** `field` equals `value`, or lies between `value` and `upTo` (text order, which ISO dates share). */
export function byValue(field: string, value: string, upTo?: string): SQL {
  return upTo === undefined ? sql`${valueOf(field)} = ${value}` : sql`${valueOf(field)} between ${value} and ${upTo}`;
}

/** A `date` or `datetime` field in the month 'YYYY-MM'. */
export function inMonth(field: string, month: string): SQL {
  const [year, m] = month.split('-').map(Number);
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return sql`${valueOf(field)} >= ${month} and ${valueOf(field)} < ${next}`;
}
