import { DateTime, Info } from 'luxon';
import { BELGRADE } from '../../time/belgrade';

/** A tenant's working time; times are wall-clock times in `timeZone`. */
export interface WorkSchedule {
  timeZone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** 'HH:MM', before `end`. */
  start: string;
  end: string;
}

export interface BusinessCalendar {
  schedule: WorkSchedule;
  /** Non-working local dates, 'YYYY-MM-DD' (a Set, or a calendar computed by rule). */
  holidays: { has(date: string): boolean };
}

export const defaultSchedule: WorkSchedule = {
  timeZone: BELGRADE,
  days: [1, 2, 3, 4, 5],
  start: '07:30',
  end: '15:30',
};

const MINUTE_MS = 60_000;

interface Window {
  start: number;
  end: number;
}

function clock(text: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new RangeError(`time must be HH:MM: ${text}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Zones found valid: luxon builds an Intl.DateTimeFormat to tell, on every step's due date. */
const knownZones = new Set<string>();

function isKnownZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  if (!Info.isValidIANAZone(zone)) return false;
  knownZones.add(zone);
  return true;
}

/**
 * Working windows as instants, one local day after another from the day holding `from`.
 * Windows are built from wall-clock times in the zone, so a daylight-saving change moves them
 * with the clock instead of shifting hours by an offset.
 */
function* windows({ schedule, holidays }: BusinessCalendar, from: number): Generator<Window> {
  if (!Number.isFinite(from)) throw new RangeError('invalid date');
  if (!isKnownZone(schedule.timeZone)) throw new RangeError(`unknown time zone: ${schedule.timeZone}`);
  const open = clock(schedule.start);
  const close = clock(schedule.end);
  if (open.hour * 60 + open.minute >= close.hour * 60 + close.minute) {
    throw new RangeError('the working day must end after it starts');
  }
  const days = new Set(schedule.days);
  if (days.size === 0 || ![...days].every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
    throw new RangeError(`working days must be ISO weekdays 1–7: ${schedule.days.join(',')}`);
  }

  let day = DateTime.fromMillis(from, { zone: schedule.timeZone }).startOf('day');
  for (;;) {
    if (days.has(day.weekday) && !holidays.has(day.toISODate()!)) {
      yield { start: day.set(open).toMillis(), end: day.set(close).toMillis() };
    }
    day = day.plus({ days: 1 });
  }
}

/**
 * When `hours` business hours after `from` are over. Counting starts at `from`, or at the next
 * working moment if `from` is outside working time. Hours are counted to the minute; a duration
 * that ends exactly at closing time is due at closing time, not at the next opening.
 */
export function addBusinessHours(from: Date, hours: number, calendar: BusinessCalendar): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be ≥ 0: ${hours}`);
  let left = Math.round(hours * 60) * MINUTE_MS;
  const start = from.getTime();
  for (const window of windows(calendar, start)) {
    if (window.end <= start) continue;
    const cursor = Math.max(start, window.start);
    if (cursor + left <= window.end) return new Date(cursor + left);
    left -= window.end - cursor;
  }
  throw new Error('unreachable: the window sequence is endless');
}

/**
 * Business hours from `a` to `b`, rounded to the whole minute; negative when `b` is before `a`.
 */
export function businessHoursBetween(a: Date, b: Date, calendar: BusinessCalendar): number {
  const from = Math.min(a.getTime(), b.getTime());
  const to = Math.max(a.getTime(), b.getTime());
  let total = 0;
  for (const window of windows(calendar, from)) {
    if (window.start >= to) break;
    total += Math.max(0, Math.min(window.end, to) - Math.max(window.start, from));
  }
  const minutes = Math.round(total / MINUTE_MS);
  return (b < a && minutes > 0 ? -minutes : minutes) / 60;
}
