import { z } from 'zod';
import { labels } from '../labels';
import { defineRule } from './types';

/**
 * Work on a public holiday earns the 110 % premium (Labour Law art. 108), so whether a day
 * was a holiday is taken from the tenant's calendar, not from the author's say-so.
 */
export const publicHolidayMatches = defineRule({
  name: 'calendar.publicHolidayMatches',
  description: labels({
    'sr-Cyrl': 'Ознака рада на дан празника одговара календару празника институције',
    en: "The public-holiday mark agrees with the tenant's holiday calendar",
  }),
  params: z.strictObject({}),
  slots: [
    { name: 'date', accepts: ['date', 'datetime'] },
    { name: 'flag', accepts: ['checkbox'] },
  ],
  async check(ctx) {
    const value = ctx.text('date');
    if (value === undefined) return [];
    const date = value.slice(0, 10);
    const holiday = await ctx.lookups.isPublicHoliday(date);
    const marked = ctx.get('flag') === true;
    if (holiday && !marked) return [{ slot: 'flag', code: 'isPublicHoliday', params: { date } }];
    if (!holiday && marked) return [{ slot: 'flag', code: 'notPublicHoliday', params: { date } }];
    return [];
  },
});
