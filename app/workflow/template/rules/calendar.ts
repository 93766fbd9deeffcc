import * as z from 'zod';
import { dateOfDay, dayNumber, isTime, minuteOfDay } from '../datetime';
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
  // `dayAfter`: the flag is about the day after the date — the part of a shift (start and end
  // times, an end at or before the start being the next day) that runs past midnight. The
  // holiday premium is split at midnight (issue 22), so each day has its own mark.
  params: z.strictObject({ dayAfter: z.boolean().default(false) }),
  slots: [
    { name: 'date', accepts: ['date', 'datetime'] },
    { name: 'flag', accepts: ['checkbox'] },
    { name: 'start', accepts: ['time'], optional: true },
    { name: 'end', accepts: ['time'], optional: true },
  ],
  async check(ctx) {
    const value = ctx.text('date');
    if (value === undefined) return [];
    let date = value.slice(0, 10);
    if (ctx.params.dayAfter) {
      const start = ctx.text('start');
      const end = ctx.text('end');
      // A shift that ends by midnight has no hours on the day after: its mark means nothing.
      if (start === undefined || end === undefined || !isTime(start) || !isTime(end)) return [];
      if (minuteOfDay(end) > minuteOfDay(start) || minuteOfDay(end) === 0) return [];
      date = dateOfDay(dayNumber(date) + 1);
    }
    const holiday = await ctx.lookups.isPublicHoliday(date);
    const marked = ctx.get('flag') === true;
    if (holiday && !marked) return [{ slot: 'flag', code: 'isPublicHoliday', params: { date } }];
    if (!holiday && marked) return [{ slot: 'flag', code: 'notPublicHoliday', params: { date } }];
    return [];
  },
});
