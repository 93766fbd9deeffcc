// Time as Serbian offices keep it: the Europe/Belgrade clock and calendar. Every reading of an
// instant as Belgrade's date or wall clock goes through here. Reading is plain formatting, done
// by the platform's Intl (no library in the browser's bundle); calendar arithmetic on the
// server (business hours, report periods) is luxon's, with the zone named by BELGRADE.

export const BELGRADE = 'Europe/Belgrade';

// Intl formatters cost far more to build than to use: one of each, kept.
const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: BELGRADE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Belgrade's wall clock at this instant, each part as written with leading zeros. */
function partsInBelgrade(at: Date | number) {
  const p: Record<string, string> = {};
  for (const { type, value } of wallClock.formatToParts(at)) p[type] = value;
  return p as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** The calendar year in Serbia at this instant (a registration at 00:30 on 1 January counts in the new year). */
export function belgradeYear(at: Date | number = new Date()): number {
  return Number(partsInBelgrade(at).year);
}

/** The calendar date in Belgrade at this instant (by default, today), 'YYYY-MM-DD' (the form dates are stored in). */
export function belgradeDate(at: Date | number = new Date()): string {
  const p = partsInBelgrade(at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** An instant as a clerk in Serbia reads it: '02.12.2026.' and '16:05', Belgrade time. */
export function belgradeDateTime(at: Date | number): { date: string; time: string } {
  const p = partsInBelgrade(at);
  return { date: `${p.day}.${p.month}.${p.year}.`, time: `${p.hour}:${p.minute}` };
}

/** As dates in documents are written: '27.11.2026. 10:05', with seconds ('10:05:03') when asked. */
export function belgradeOfficeInstant(at: Date | number, seconds: boolean): string {
  const p = partsInBelgrade(at);
  return `${p.day}.${p.month}.${p.year}. ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}
