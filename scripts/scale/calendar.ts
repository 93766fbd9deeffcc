// The business calendar of a tenant (working days 07:30–15:30 Europe/Belgrade, minus its
// holidays) precomputed as windows, so that adding business hours is a binary search instead of
// walking day by day. It must agree with app/workflow/calendar/business-hours.ts to the
// millisecond (the seed's due times are what the engine would have written); the scale test
// checks it against addBusinessHours.
import { DateTime } from 'luxon';
import { defaultSchedule } from '#app/workflow/calendar/business-hours';

export interface Day {
  /** 'YYYY-MM-DD' in Belgrade. */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  holiday: boolean;
  working: boolean;
  /** Midnight and working-window instants (ms). */
  midnight: number;
  open: number;
  close: number;
}

const MINUTE_MS = 60_000;

export class BusinessCalendar {
  readonly days: Day[] = [];
  private readonly byDate = new Map<string, number>();
  private readonly winStart: number[] = [];
  private readonly winEnd: number[] = [];
  private readonly cumBefore: number[] = [];
  private readonly cumEnd: number[] = [];

  constructor(fromDate: string, toDate: string, holidays: ReadonlySet<string>) {
    const zone = defaultSchedule.timeZone;
    const [oh, om] = defaultSchedule.start.split(':').map(Number);
    const [ch, cm] = defaultSchedule.end.split(':').map(Number);
    const workdays = new Set(defaultSchedule.days);
    let day = DateTime.fromISO(fromDate, { zone }).startOf('day');
    const last = DateTime.fromISO(toDate, { zone }).startOf('day');
    let cum = 0;
    while (day <= last) {
      const date = day.toISODate()!;
      const holiday = holidays.has(date);
      const working = workdays.has(day.weekday) && !holiday;
      const open = day.set({ hour: oh, minute: om }).toMillis();
      const close = day.set({ hour: ch, minute: cm }).toMillis();
      this.byDate.set(date, this.days.length);
      this.days.push({ date, weekday: day.weekday, holiday, working, midnight: day.toMillis(), open, close });
      if (working) {
        this.winStart.push(open);
        this.winEnd.push(close);
        this.cumBefore.push(cum);
        cum += close - open;
        this.cumEnd.push(cum);
      }
      day = day.plus({ days: 1 });
    }
  }

  dayIndexOf(date: string): number | undefined {
    return this.byDate.get(date);
  }

  /** Index of the calendar day holding instant `t`. */
  dayAt(t: number): number {
    let lo = 0;
    let hi = this.days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.days[mid].midnight <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The same result as addBusinessHours(from, hours, { defaultSchedule, holidays }). */
  addBusinessHours(from: number, hours: number): number {
    const left = Math.round(hours * 60) * MINUTE_MS;
    // First window that ends after `from`.
    let lo = 0;
    let hi = this.winEnd.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.winEnd[mid] <= from) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.winEnd.length) throw new RangeError('instant beyond the precomputed calendar');
    const cursor = Math.max(from, this.winStart[lo]);
    if (left === 0) return cursor;
    const pos = this.cumBefore[lo] + (cursor - this.winStart[lo]) + left;
    // First window whose cumulative end reaches pos.
    let a = lo;
    let b = this.cumEnd.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (this.cumEnd[mid] < pos) a = mid + 1;
      else b = mid;
    }
    if (a >= this.cumEnd.length) throw new RangeError('instant beyond the precomputed calendar');
    return this.winStart[a] + (pos - this.cumBefore[a]);
  }
}
