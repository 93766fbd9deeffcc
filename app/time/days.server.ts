// Arithmetic on calendar dates ('YYYY-MM-DD', no time of day, no zone), by luxon, the project's
// date library. Server-side: the browser's bundle stays without it.
import { DateTime } from 'luxon';

/** The calendar date `days` after `date` (before it, when negative). */
export function addDays(date: string, days: number): string {
  const day = DateTime.fromISO(date, { zone: 'utc' });
  if (!day.isValid) throw new RangeError(`not a calendar date: ${date}`);
  return day.plus({ days }).toISODate()!;
}
