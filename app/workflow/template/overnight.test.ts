// Continuous time (issue 22): a shift may end after midnight (an end at or before the start is
// the next day; 24:00 is midnight). Hours and night hours (22:00–06:00) of the standard result
// report, checked against a reference written here: a walk over every minute of the shift.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardCatalog } from '../catalog';
import { computeValues } from './compute';
import { checkRules, type RuleLookups } from './rules';
import { isTime, minuteOfDay } from './datetime';

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

const values = (start: string, end: string) => ({ date: '2026-12-10', actualStart: start, actualEnd: end, onPublicHoliday: false });

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
  });
});
