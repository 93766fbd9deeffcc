/**
 * Calendar values as the forms submit them: dates `YYYY-MM-DD`, times `HH:MM`, date-times
 * `YYYY-MM-DDTHH:MM`, months `YYYY-MM`. They are civil values with no time zone (a
 * municipality works in one), so arithmetic is done on UTC to avoid daylight-saving jumps.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MINUTES_PER_DAY = 1440;
/** The years a date may have (issue 23): anything else is a typing mistake, refused before PostgreSQL sees it. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
const MS_PER_DAY = 86_400_000;

export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= MIN_YEAR && y <= MAX_YEAR && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export const isTime = (value: string): boolean => TIME.test(value);
export const isMonth = (value: string): boolean => MONTH.test(value) && Number(value.slice(0, 4)) >= MIN_YEAR && Number(value.slice(0, 4)) <= MAX_YEAR;

export function isDateTime(value: string): boolean {
  const m = DATETIME.exec(value);
  return !!m && isDate(m[1]) && isTime(m[2]);
}

/** Days since 1970-01-01. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function dateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Minutes since midnight. */
export function minuteOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Minutes since 1970-01-01T00:00. */
export function minuteNumber(datetime: string): number {
  return dayNumber(datetime.slice(0, 10)) * MINUTES_PER_DAY + minuteOfDay(datetime.slice(11, 16));
}

/** The Monday of the ISO week (Monday–Sunday) containing the date. */
export function isoWeekMonday(date: string): string {
  const day = dayNumber(date);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday = 0.
  const weekday = (((day + 3) % 7) + 7) % 7;
  return dateOfDay(day - weekday);
}

export { MINUTES_PER_DAY };
