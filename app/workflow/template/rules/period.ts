import * as z from 'zod';
import { labels } from '../labels';
import { defineRule } from './types';

/** Once a month's payroll is done its records are final; nothing may be dated into it. */
export const notInClosedMonth = defineRule({
  name: 'period.notInClosedMonth',
  description: labels({
    'sr-Cyrl': 'Датум није у закљученом месецу',
    en: 'The date is not in a closed month',
  }),
  params: z.strictObject({}),
  slots: [{ name: 'date', accepts: ['date', 'datetime', 'month'] }],
  async check(ctx) {
    const value = ctx.text('date');
    if (value === undefined) return [];
    const date = value.length === 7 ? `${value}-01` : value.slice(0, 10);
    if (!(await ctx.lookups.isClosedMonth(date))) return [];
    return [{ slot: 'date', code: 'closedMonth', params: { month: date.slice(0, 7) } }];
  },
});
