import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addBusinessHours, businessHoursBetween, defaultSchedule, type BusinessCalendar } from './business-hours';
import { serbianPublicHolidays } from './holidays';

const zone = 'Europe/Belgrade';
const holidays = new Set(
  [2022, 2023, 2024, 2025, 2026, 2027, 2028].flatMap((y) => serbianPublicHolidays(y).map((h) => h.date)),
);
const calendar: BusinessCalendar = { schedule: defaultSchedule, holidays };

const at = (local: string) => DateTime.fromISO(local, { zone }).toJSDate();
const local = (date: Date) => DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('addBusinessHours', () => {
  it('carries Friday afternoon work over the weekend', () => {
    expect(local(addBusinessHours(at('2025-06-13T13:00'), 8, calendar))).toBe('2025-06-16T13:00');
  });

  it('skips public holidays (Easter 2025: Good Friday and Easter Monday)', () => {
    expect(local(addBusinessHours(at('2025-04-17T14:00'), 4, calendar))).toBe('2025-04-22T10:00');
  });

  it('skips tenant holidays given in the calendar', () => {
    const withSlava = { ...calendar, holidays: new Set([...holidays, '2025-06-16']) };
    expect(local(addBusinessHours(at('2025-06-13T13:00'), 8, withSlava))).toBe('2025-06-17T13:00');
  });

  it('starts counting at the next working moment', () => {
    expect(local(addBusinessHours(at('2025-06-14T10:00'), 1, calendar))).toBe('2025-06-16T08:30');
    expect(local(addBusinessHours(at('2025-06-17T06:00'), 1, calendar))).toBe('2025-06-17T08:30');
    expect(local(addBusinessHours(at('2025-06-17T16:00'), 1.5, calendar))).toBe('2025-06-18T09:00');
    expect(local(addBusinessHours(at('2025-06-17T15:30'), 0, calendar))).toBe('2025-06-18T07:30');
  });

  it('is due at closing time when the hours end exactly then', () => {
    expect(local(addBusinessHours(at('2025-06-16T07:30'), 8, calendar))).toBe('2025-06-16T15:30');
    expect(local(addBusinessHours(at('2025-06-16T07:30'), 8 + 1 / 60, calendar))).toBe('2025-06-17T07:31');
  });

  it('is not moved by the switch to summer time (last Sunday of March)', () => {
    const due = addBusinessHours(at('2024-03-29T14:30'), 2, calendar);
    expect(local(due)).toBe('2024-04-01T08:30');
    expect(due.toISOString()).toBe('2024-04-01T06:30:00.000Z');
  });

  it('is not moved by the switch back to winter time (last Sunday of October)', () => {
    const due = addBusinessHours(at('2024-10-25T15:00'), 1, calendar);
    expect(local(due)).toBe('2024-10-28T08:00');
    expect(due.toISOString()).toBe('2024-10-28T07:00:00.000Z');
  });

  it('rejects negative or non-finite hours and broken schedules', () => {
    const from = at('2025-06-16T08:00');
    expect(() => addBusinessHours(from, -1, calendar)).toThrow(RangeError);
    expect(() => addBusinessHours(from, Number.NaN, calendar)).toThrow(RangeError);
    expect(() => addBusinessHours(new Date(Number.NaN), 1, calendar)).toThrow(RangeError);
    expect(() => businessHoursBetween(from, new Date('not a date'), calendar)).toThrow(RangeError);
    const broken = (patch: Partial<typeof defaultSchedule>) => ({
      schedule: { ...defaultSchedule, ...patch },
      holidays,
    });
    expect(() => addBusinessHours(from, 1, broken({ timeZone: 'Europe/Atlantis' }))).toThrow(RangeError);
    expect(() => addBusinessHours(from, 1, broken({ start: '16:00' }))).toThrow(RangeError);
    expect(() => addBusinessHours(from, 1, broken({ end: '7:30' }))).toThrow(RangeError);
    expect(() => addBusinessHours(from, 1, broken({ days: [] }))).toThrow(RangeError);
    expect(() => addBusinessHours(from, 1, broken({ days: [0, 1] }))).toThrow(RangeError);
  });
});

describe('businessHoursBetween', () => {
  it('counts a full working week across a summer-time weekend', () => {
    expect(businessHoursBetween(at('2024-03-25T07:30'), at('2024-04-01T07:30'), calendar)).toBe(40);
    expect(businessHoursBetween(at('2024-03-29T07:30'), at('2024-04-01T15:30'), calendar)).toBe(16);
    expect(businessHoursBetween(at('2024-10-25T07:30'), at('2024-10-28T15:30'), calendar)).toBe(16);
  });

  it('counts nothing on holidays and weekends', () => {
    expect(businessHoursBetween(at('2025-04-18T00:00'), at('2025-04-22T00:00'), calendar)).toBe(0);
  });

  it('counts minutes as fractions of an hour and is negative backwards', () => {
    const a = at('2025-06-16T15:00');
    const b = at('2025-06-17T07:45');
    expect(businessHoursBetween(a, b, calendar)).toBe(0.75);
    expect(businessHoursBetween(b, a, calendar)).toBe(-0.75);
    expect(Object.is(businessHoursBetween(at('2025-06-15T10:00'), at('2025-06-14T10:00'), calendar), 0)).toBe(true);
  });

  it('counts real elapsed time when a working window spans a clock change', () => {
    const night: BusinessCalendar = {
      schedule: { timeZone: zone, days: [7], start: '01:00', end: '05:00' },
      holidays: new Set(),
    };
    expect(businessHoursBetween(at('2024-03-31T00:00'), at('2024-03-31T12:00'), night)).toBe(3);
    expect(businessHoursBetween(at('2024-10-27T00:00'), at('2024-10-27T12:00'), night)).toBe(5);
    expect(businessHoursBetween(at('2024-04-07T00:00'), at('2024-04-07T12:00'), night)).toBe(4);
  });
});

describe('business-hour properties', () => {
  const instant = fc
    .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true });
  const minuteInstant = instant.map((d) => new Date(Math.floor(d.getTime() / 60_000) * 60_000));
  const minutes = fc.integer({ min: 0, max: 6000 });

  it('counts back exactly the hours it added', () => {
    fc.assert(
      fc.property(instant, minutes, (from, m) => {
        expect(businessHoursBetween(from, addBusinessHours(from, m / 60, calendar), calendar)).toBe(m / 60);
      }),
    );
  });

  it('lands inside working time on a working day', () => {
    fc.assert(
      fc.property(instant, minutes, (from, m) => {
        const due = DateTime.fromJSDate(addBusinessHours(from, m / 60, calendar), { zone });
        expect(due.weekday).toBeLessThanOrEqual(5);
        expect(holidays.has(due.toISODate()!)).toBe(false);
        const time = due.toFormat('HH:mm:ss.SSS');
        expect(time >= '07:30:00.000' && time <= '15:30:00.000').toBe(true);
      }),
    );
  });

  it('gives later due times for more hours', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (from, m1, m2) => {
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(addBusinessHours(from, lo / 60, calendar).getTime()).toBeLessThanOrEqual(
          addBusinessHours(from, hi / 60, calendar).getTime(),
        );
      }),
    );
  });

  it('adds up over consecutive spans and never exceeds elapsed time', () => {
    const span = fc.integer({ min: 0, max: 30 * 24 * 60 }).map((m) => m * 60_000);
    fc.assert(
      fc.property(minuteInstant, span, span, (start, d1, d2) => {
        const a = start;
        const b = new Date(a.getTime() + d1);
        const c = new Date(b.getTime() + d2);
        const ab = businessHoursBetween(a, b, calendar);
        const bc = businessHoursBetween(b, c, calendar);
        expect(Math.round((ab + bc) * 60)).toBe(Math.round(businessHoursBetween(a, c, calendar) * 60));
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(d1 / 3_600_000);
      }),
    );
  });
});
