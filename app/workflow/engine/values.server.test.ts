import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { byValue, inMonth, valueOf } from './values.server';

const dialect = new PgDialect();
const render = (q: Parameters<PgDialect['sqlToQuery']>[0]) => {
  const { sql, params } = dialect.sqlToQuery(q);
  return { sql, params };
};

describe('conditions on stored values', () => {
  it('reads who, which day and which month from their indexed columns, anything else from the JSON', () => {
    expect(render(valueOf('employee')).sql).toBe('"documents"."values_employee"');
    expect(render(valueOf('date')).sql).toBe('"documents"."values_date"');
    expect(render(valueOf('month')).sql).toBe('"documents"."values_month"');
    expect(render(valueOf('toString'))).toEqual({ sql: '("documents"."values"->>$1)', params: ['toString'] });
    expect(render(byValue('employee', 'm-1'))).toEqual({ sql: '"documents"."values_employee" = $1', params: ['m-1'] });
    expect(render(byValue('date', '2026-03-02', '2026-03-08'))).toEqual({ sql: '"documents"."values_date" between $1 and $2', params: ['2026-03-02', '2026-03-08'] });
  });

  it('bounds a month from its first day to the next month, across the year end', () => {
    expect(render(inMonth('date', '2026-10')).params).toEqual(['2026-10', '2026-11']);
    expect(render(inMonth('date', '2026-12')).params).toEqual(['2026-12', '2027-01']);
    // Dates and date-times of the month sort between the bounds, the next month's first day does not.
    for (const inside of ['2026-12-01', '2026-12-31', '2026-12-31T23:59']) expect(inside >= '2026-12' && inside < '2027-01').toBe(true);
    expect('2027-01-01' < '2027-01').toBe(false);
  });
});
