// Continuous time (issue 22): a shift may end after midnight (an end at or before the start is
// the next day; 24:00 is midnight). Hours and night hours (22:00–06:00) of the standard result
// report, checked against a reference written here: a walk over every minute of the shift.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardCatalog } from '../catalog';
import { computeValues } from './compute';
import { checkRules, type RuleLookups } from './rules';
import { dayNumber, isTime, minuteOfDay } from './datetime';

const report = standardCatalog.find((d) => d.key === 'overtime-report')!;
const request = standardCatalog.find((d) => d.key === 'overtime-request')!;

/** Every minute from the start, on the start's day, until the end (the next day when not after the start). */
function reference(start: string, end: string) {
  const [h1, m1] = start.split(':').map(Number);
  const [h2, m2] = end.split(':').map(Number);
  const from = h1 * 60 + m1;
  let to = h2 * 60 + m2;
  if (to <= from) to += 24 * 60;
  let total = 0;
  let night = 0;
  for (let minute = from; minute < to; minute++) {
    total++;
    const clock = minute % (24 * 60);
    if (clock < 6 * 60 || clock >= 22 * 60) night++;
  }
  return { total, night };
}

/** Minutes as hours with two decimals, rounded half up, in whole-number arithmetic. */
function hoursText(minutes: number): string {
  const hundredths = Math.floor((minutes * 100 * 2 + 60) / 120);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const endClock = fc.oneof(clock, fc.constant('24:00'));

const values = (start: string, end: string) => ({ date: '2026-12-10', actualStart: start, actualEnd: end, onPublicHoliday: false, nextDayPublicHoliday: false });

// The same walk over real instants in Europe/Belgrade, for any date (issue 22: daylight saving).
// Written without luxon: the wall clock of an instant is read with Intl, and a wall time is placed
// by trying Serbia's two offsets (+1 in winter, +2 in summer). A wall time that happens twice is
// its first occurrence; one that never happens (the skipped hour) is read with the winter offset,
// i.e. moved on by the hour — the "compatible" reading.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const belgrade = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Belgrade',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const wallByHour = new Map<number, number>();
/** The Belgrade wall clock of an instant, as milliseconds of a UTC calendar (offsets change on whole hours only). */
function wallOf(instant: number): number {
  const hour = Math.floor(instant / HOUR);
  let wall = wallByHour.get(hour);
  if (wall === undefined) {
    const p = Object.fromEntries(belgrade.formatToParts(hour * HOUR).map((x) => [x.type, x.value]));
    wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
    wallByHour.set(hour, wall);
  }
  return wall + (instant - Math.floor(instant / HOUR) * HOUR);
}
function instantOfWall(wall: number): number {
  const found = [2 * HOUR, HOUR].map((offset) => wall - offset).filter((t) => wallOf(t) === wall);
  return found.length ? Math.min(...found) : wall - HOUR;
}

/** Every real minute from the start to the end on the date: total, night, and per date (0 = the date, 1 = the next). */
function realReference(date: string, start: string, end: string) {
  const [y, mo, d] = date.split('-').map(Number);
  const midnight = Date.UTC(y, mo - 1, d);
  const from = minuteOfDay(start);
  let to = minuteOfDay(end);
  if (to <= from) to += 24 * 60;
  const first = instantOfWall(midnight + from * MINUTE);
  const last = instantOfWall(midnight + to * MINUTE);
  let total = 0;
  let night = 0;
  const byDay = [0, 0, 0];
  for (let t = first; t < last; t += MINUTE) {
    const wall = wallOf(t);
    const clock = Math.floor((wall % 86_400_000) / MINUTE);
    total++;
    if (clock < 6 * 60 || clock >= 22 * 60) night++;
    byDay[Math.floor((wall - midnight) / 86_400_000)]++;
  }
  return { total, night, byDay };
}

/** The last Sunday of a month: the nights clocks change are the Saturday→Sunday before it and the Sunday itself. */
function lastSunday(year: number, month: number): number {
  const last = Date.UTC(year, month, 0) / 86_400_000;
  return last - ((((last + 4) % 7) + 7) % 7);
}
const changeDays = Array.from({ length: 16 }, (_, i) => 2025 + i).flatMap((y) => [lastSunday(y, 3), lastSunday(y, 10)].flatMap((s) => [s - 1, s]));
const day = fc.oneof(fc.integer({ min: dayNumber('2025-01-01'), max: dayNumber('2040-12-31') }), fc.constantFrom(...changeDays));
const dateText = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

describe('a shift that may end after midnight', () => {
  it('has the hours and night hours of a minute-by-minute walk, for any start and end', () => {
    fc.assert(
      fc.property(clock, endClock, (start, end) => {
        const computed = computeValues(report, { values: values(start, end) });
        const expected = reference(start, end);
        expect(computed.hours).toBe(hoursText(expected.total));
        expect(computed.nightHours).toBe(hoursText(expected.night));
      }),
      { numRuns: 2000 },
    );
  });

  it('has the real hours, night hours and holiday hours (split at midnight) of a walk over real instants, on any date 2025–2040 including the nights clocks change', () => {
    fc.assert(
      fc.property(day, clock, endClock, fc.boolean(), fc.boolean(), (n, start, end, holiday, nextHoliday) => {
        const date = dateText(n);
        const computed = computeValues(report, { values: { date, actualStart: start, actualEnd: end, onPublicHoliday: holiday, nextDayPublicHoliday: nextHoliday } });
        const expected = realReference(date, start, end);
        expect(computed.hours).toBe(hoursText(expected.total));
        expect(computed.nightHours).toBe(hoursText(expected.night));
        expect(computed.holidayHours).toBe(hoursText((holiday ? expected.byDay[0] : 0) + (nextHoliday ? expected.byDay[1] : 0)));
        expect(computeValues(request, { values: { date, plannedStart: start, plannedEnd: end } }).hours).toBe(hoursText(expected.total));
      }),
      { numRuns: 3000 },
    );
  });

  it('pays 7 hours for 22:00–06:00 on the night clocks go forward, 9 on the night they go back, and splits a holiday at midnight', () => {
    const of = (date: string, start: string, end: string, onPublicHoliday = false, nextDayPublicHoliday = false) =>
      computeValues(report, { values: { date, actualStart: start, actualEnd: end, onPublicHoliday, nextDayPublicHoliday } });
    expect(of('2026-03-28', '22:00', '06:00')).toMatchObject({ hours: '7.00', nightHours: '7.00' });
    expect(of('2026-10-24', '22:00', '06:00')).toMatchObject({ hours: '9.00', nightHours: '9.00' });
    expect(of('2040-03-24', '20:00', '04:00')).toMatchObject({ hours: '7.00', nightHours: '5.00' });
    // The skipped hour does not exist: 02:30 on that Sunday is read as 03:30.
    expect(of('2026-03-29', '01:00', '02:30')).toMatchObject({ hours: '1.50' });
    // The repeated hour: 02:30 is its first occurrence.
    expect(of('2026-10-25', '01:00', '02:30')).toMatchObject({ hours: '1.50' });
    expect(of('2026-10-25', '01:00', '03:00')).toMatchObject({ hours: '3.00' });
    // 2 May 2026 (Labour Day) 20:00 to Sunday 3 May 04:00: holiday premium for the 4 hours of 2 May only.
    expect(of('2026-05-02', '20:00', '04:00', true, false)).toMatchObject({ hours: '8.00', holidayHours: '4.00' });
    // The reverse: 31 December 22:00 to 1 January 06:00, the 6 hours of New Year's Day.
    expect(of('2026-12-31', '22:00', '06:00', false, true)).toMatchObject({ hours: '8.00', holidayHours: '6.00' });
  });

  it('reads the examples a payroll clerk would check', () => {
    const of = (start: string, end: string) => computeValues(report, { values: values(start, end) });
    expect(of('22:00', '06:00')).toMatchObject({ hours: '8.00', nightHours: '8.00' });
    expect(of('20:00', '08:00')).toMatchObject({ hours: '12.00', nightHours: '8.00' });
    expect(of('16:00', '24:00')).toMatchObject({ hours: '8.00', nightHours: '2.00' });
    expect(of('16:00', '00:00')).toMatchObject({ hours: '8.00', nightHours: '2.00' });
    expect(of('23:59', '00:00')).toMatchObject({ hours: '0.02', nightHours: '0.02' });
  });

  it('accepts 24:00 as a time and nothing past it', () => {
    expect(isTime('24:00')).toBe(true);
    expect(minuteOfDay('24:00')).toBe(1440);
    for (const bad of ['24:01', '25:00', '24:60', '23:60']) expect(isTime(bad)).toBe(false);
  });

  it('is refused as “end before start” no more, and splits the hours over the two days for the labour-law caps', async () => {
    const asked: Array<{ date: string }> = [];
    const lookups: RuleLookups = {
      overtimeMinutesInWeek: async () => 0,
      overtimeMinutesOn: async (q) => {
        asked.push({ date: q.date });
        return 0;
      },
      regularHoursOn: async ({ date }) => (date === '2026-12-11' ? 8 : 0),
      isClosedMonth: async () => false,
      isPublicHoliday: async () => false,
    };
    const employee = '00000000-0000-4000-8000-000000000001';
    const base = { employee, unit: employee, date: '2026-12-10', ground: 'workloadIncrease', description: 'Ноћни рад' };
    // Thursday 20:00 to Friday 05:00: 4 h on Thursday, 5 h on Friday — on top of Friday's 8 regular hours, 13 h.
    const violations = await checkRules(request, { values: { ...base, plannedStart: '20:00', plannedEnd: '05:00' }, tenantParameters: {}, lookups });
    expect(asked.map((a) => a.date)).toEqual(['2026-12-10', '2026-12-11']);
    expect(violations.map((v) => [v.rule, v.code])).toEqual([
      ['labour.overtimeDailyCap', 'overtimeDailyCap'],
      ['labour.overtimeWeeklyCap', 'overtimeWeeklyCap'],
    ]);
    expect(violations[0].params).toMatchObject({ date: '2026-12-11', requested: 5 });
    const fine = await checkRules(request, { values: { ...base, plannedStart: '22:00', plannedEnd: '02:00' }, tenantParameters: {}, lookups });
    expect(fine).toEqual([]);
    // The caps count real minutes too: Saturday 28 March 2026 20:00 to Sunday 08:00 is 4 h on
    // Saturday and 7 h on Sunday (clocks go forward at 02:00), 11 h in the week, not 12.
    const spring = await checkRules(request, { values: { ...base, date: '2026-03-28', plannedStart: '20:00', plannedEnd: '08:00' }, tenantParameters: {}, lookups });
    expect(spring.find((v) => v.code === 'overtimeWeeklyCap')?.params).toMatchObject({ weekOf: '2026-03-23', requested: 11 });
  });
});
