// Exact working time (issue 22): a shift is entered as a civil date with start and end clock
// times, but it is paid for the minutes that really passed in the municipality's time zone.
// On the night clocks go forward (last Sunday of March, 02:00 → 03:00) a 22:00–06:00 shift is
// 7 hours; on the night they go back (last Sunday of October, 03:00 → 02:00) it is 9. Night
// (22:00–06:00) and per-day portions are counted the same way. luxon does the zone arithmetic;
// this module runs in the browser too (app/ui/live-computed.tsx), so it touches nothing else.
import { DateTime } from 'luxon';
import { BELGRADE } from '../../time/belgrade';
import { dateOfDay, MINUTES_PER_DAY } from './datetime';

const MS_PER_MINUTE = 60_000;
const NIGHT_ENDS = 6 * 60;
const NIGHT_STARTS = 22 * 60;

/**
 * The instant a civil date (days since 1970) and minute (since that date's midnight, may run
 * past 1440 into the following days) denote. Clock times that happen twice (the repeated hour in
 * October) are read at their first occurrence, and clock times that never happen (the skipped
 * hour in March) are moved on by the length of the gap — the "compatible" reading of RFC 5545
 * and Temporal, so 02:30 on the March night is 03:30.
 */
/** Instants by civil minute (days × 1440 + minute), as `instantOf` has worked them out. */
const instants = new Map<number, number>();

export function instantOf(day: number, minute: number): number {
  const whole = day + Math.floor(minute / MINUTES_PER_DAY);
  const rest = minute - (whole - day) * MINUTES_PER_DAY;
  // The same clock times come up again and again (every midnight, every shift's start and end,
  // once per day it touches), and luxon works each one out through Intl: remembered, as the
  // zone's rules do not change while the process runs.
  const key = whole * MINUTES_PER_DAY + rest;
  let instant = instants.get(key);
  if (instant === undefined) {
    const [year, month, date] = dateOfDay(whole).split('-').map(Number);
    const local = DateTime.fromObject({ year, month, day: date, hour: Math.floor(rest / 60), minute: rest % 60 }, { zone: BELGRADE });
    // luxon's pick between two occurrences depends on today's offset; take the earlier one always.
    instant = Math.min(...local.getPossibleOffsets().map((d) => d.toMillis()));
    if (instants.size >= 50_000) instants.clear();
    instants.set(key, instant);
  }
  return instant;
}

const overlap = (from: number, to: number, a: number, b: number) => Math.max(0, Math.min(to, b) - Math.max(from, a)) / MS_PER_MINUTE;

/**
 * The real minutes from start to end; none when the end comes first (a start in the skipped
 * hour, 02:10, is read as 03:10, after an end at 03:00).
 */
export function workMinutes(day: number, start: number, end: number): number {
  return Math.max(0, instantOf(day, end) - instantOf(day, start)) / MS_PER_MINUTE;
}

/** The real minutes of the shift that fall between 22:00 and 06:00. */
export function nightMinutes(day: number, start: number, end: number): number {
  const from = instantOf(day, start);
  const to = instantOf(day, end);
  let total = 0;
  // The nights that can touch the shift: from the one before its first day to its last day's.
  const lastDay = day + Math.floor(Math.max(start, end) / MINUTES_PER_DAY);
  for (let d = day + Math.floor(Math.min(start, end) / MINUTES_PER_DAY); d <= lastDay; d++) {
    total += overlap(from, to, instantOf(d, 0), instantOf(d, NIGHT_ENDS));
    total += overlap(from, to, instantOf(d, NIGHT_STARTS), instantOf(d + 1, 0));
  }
  return total;
}

/** The real minutes of the shift that fall on the civil date `offset` days after its date. */
export function dayMinutes(day: number, start: number, end: number, offset: number): number {
  return overlap(instantOf(day, start), instantOf(day, end), instantOf(day + offset, 0), instantOf(day + offset + 1, 0));
}

/** The real minutes of a forward shift on each civil date it touches, in order. */
export function minutesByDay(day: number, start: number, end: number): Array<{ date: string; minutes: number }> {
  const portions: Array<{ date: string; minutes: number }> = [];
  for (let offset = Math.floor(start / MINUTES_PER_DAY); offset * MINUTES_PER_DAY < end; offset++) {
    const minutes = dayMinutes(day, start, end, offset);
    if (minutes > 0) portions.push({ date: dateOfDay(day + offset), minutes });
  }
  return portions;
}
