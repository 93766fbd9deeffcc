// Non-working public holidays of the Republic of Serbia (Law on State and Other Holidays,
// arts. 1a, 2 and 3a), computed for any year: they are the base of every tenant's calendar,
// which adds its own days (a municipality's day) on top.

export type HolidayKey =
  | 'newYear'
  | 'orthodoxChristmas'
  | 'statehood'
  | 'labourDay'
  | 'armistice'
  | 'goodFriday'
  | 'holySaturday'
  | 'easterSunday'
  | 'easterMonday';

export interface PublicHoliday {
  /** Local calendar date, 'YYYY-MM-DD'. */
  date: string;
  key: HolidayKey;
  /** The working day taken off because a state holiday fell on a Sunday. */
  shifted?: boolean;
}

const DAY_MS = 86_400_000;

// Calendar-date arithmetic on UTC midnights: no time zone can move a date.
const utcDay = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isSunday = (ms: number) => new Date(ms).getUTCDay() === 0;

function orthodoxEasterMs(year: number): number {
  // Meeus' Julian computus gives the Julian-calendar date of Easter.
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  // Julian → Gregorian: the calendars drift apart by one day in each century year not divisible
  // by 400 (13 days for 1900–2099). Easter is never in January or February, so the century's
  // value applies.
  const drift = Math.floor(year / 100) - Math.floor(year / 400) - 2;
  return utcDay(year, month, day) + drift * DAY_MS;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 4099) {
    throw new RangeError(`year out of range: ${year}`);
  }
}

/** Orthodox Easter Sunday as a Gregorian date, 'YYYY-MM-DD'. */
export function orthodoxEaster(year: number): string {
  checkYear(year);
  return isoDate(orthodoxEasterMs(year));
}

// State holidays move a Sunday to the next working day (art. 3a); religious ones
// (Christmas, Easter) do not.
const stateHolidays: Array<{ key: HolidayKey; month: number; days: number[] }> = [
  { key: 'newYear', month: 1, days: [1, 2] },
  { key: 'statehood', month: 2, days: [15, 16] },
  { key: 'labourDay', month: 5, days: [1, 2] },
  { key: 'armistice', month: 11, days: [11] },
];

/**
 * The year's non-working public holidays, sorted by date, one entry per date. Where Easter meets
 * Labour Day on the same date, the state holiday's key is kept. A state holiday on a Sunday adds
 * the first following day that is neither a Sunday nor already a holiday: with 2 May on a Sunday
 * and Easter Monday on 3 May (2021), Tuesday 4 May is off.
 */
export function serbianPublicHolidays(year: number): PublicHoliday[] {
  checkYear(year);
  const byDay = new Map<number, PublicHoliday>();
  const add = (ms: number, key: HolidayKey) => {
    if (!byDay.has(ms)) byDay.set(ms, { date: isoDate(ms), key });
  };

  for (const { key, month, days } of stateHolidays) {
    for (const day of days) add(utcDay(year, month, day), key);
  }
  add(utcDay(year, 1, 7), 'orthodoxChristmas');
  const easter = orthodoxEasterMs(year);
  add(easter - 2 * DAY_MS, 'goodFriday');
  add(easter - DAY_MS, 'holySaturday');
  add(easter, 'easterSunday');
  add(easter + DAY_MS, 'easterMonday');

  // In date order, so a shifted day already taken counts as a holiday for the next one.
  for (const { key, month, days } of stateHolidays) {
    for (const day of days) {
      const ms = utcDay(year, month, day);
      if (!isSunday(ms)) continue;
      let off = ms + DAY_MS;
      while (byDay.has(off) || isSunday(off)) off += DAY_MS;
      byDay.set(off, { date: isoDate(off), key, shifted: true });
    }
  }

  return [...byDay.entries()].sort(([a], [b]) => a - b).map(([, holiday]) => holiday);
}

const computedYears = new Map<number, ReadonlyMap<string, PublicHoliday>>();

/** The public holiday on a local date 'YYYY-MM-DD', computed by the law's rules for its year. */
export function publicHolidayOn(date: string): PublicHoliday | undefined {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(date);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 1583 || year > 4099) return undefined;
  let days = computedYears.get(year);
  if (!days) {
    days = new Map(serbianPublicHolidays(year).map((h) => [h.date, h]));
    computedYears.set(year, days);
  }
  return days.get(date);
}
