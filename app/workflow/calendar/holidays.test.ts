import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orthodoxEaster, publicHolidayOn, serbianPublicHolidays } from './holidays';

const dates = (year: number) => serbianPublicHolidays(year).map((h) => h.date);
const shifted = (year: number) =>
  serbianPublicHolidays(year)
    .filter((h) => h.shifted)
    .map((h) => [h.date, h.key]);

describe('orthodoxEaster', () => {
  it('matches the published dates', () => {
    const published: Record<number, string> = {
      1900: '1900-04-22',
      2000: '2000-04-30',
      2010: '2010-04-04',
      2013: '2013-05-05',
      2016: '2016-05-01',
      2021: '2021-05-02',
      2022: '2022-04-24',
      2023: '2023-04-16',
      2024: '2024-05-05',
      2025: '2025-04-20',
      2026: '2026-04-12',
      2027: '2027-05-02',
      2028: '2028-04-16',
      2029: '2029-04-08',
      2030: '2030-04-28',
    };
    for (const [year, date] of Object.entries(published)) {
      expect(orthodoxEaster(Number(year))).toBe(date);
    }
  });

  it('is a Sunday between 4 April and 8 May in 1900–2099', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), (year) => {
        const date = orthodoxEaster(year);
        expect(new Date(`${date}T00:00:00Z`).getUTCDay()).toBe(0);
        expect(date.slice(5) >= '04-04' && date.slice(5) <= '05-08').toBe(true);
      }),
    );
  });

  it('rejects years outside the Gregorian calendar', () => {
    expect(() => orthodoxEaster(1500)).toThrow(RangeError);
    expect(() => orthodoxEaster(2024.5)).toThrow(RangeError);
  });
});

describe('serbianPublicHolidays', () => {
  it('lists 2023 with the Tuesday after a Sunday New Year off', () => {
    expect(serbianPublicHolidays(2023)).toEqual([
      { date: '2023-01-01', key: 'newYear' },
      { date: '2023-01-02', key: 'newYear' },
      { date: '2023-01-03', key: 'newYear', shifted: true },
      { date: '2023-01-07', key: 'orthodoxChristmas' },
      { date: '2023-02-15', key: 'statehood' },
      { date: '2023-02-16', key: 'statehood' },
      { date: '2023-04-14', key: 'goodFriday' },
      { date: '2023-04-15', key: 'holySaturday' },
      { date: '2023-04-16', key: 'easterSunday' },
      { date: '2023-04-17', key: 'easterMonday' },
      { date: '2023-05-01', key: 'labourDay' },
      { date: '2023-05-02', key: 'labourDay' },
      { date: '2023-11-11', key: 'armistice' },
    ]);
  });

  it('joins Labour Day and Easter in 2024 without a shift', () => {
    expect(dates(2024)).toEqual([
      '2024-01-01', '2024-01-02', '2024-01-07', '2024-02-15', '2024-02-16',
      '2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05', '2024-05-06',
      '2024-11-11',
    ]);
    expect(shifted(2024)).toEqual([]);
  });

  it('does not shift Orthodox Christmas on a Sunday (2024-01-07)', () => {
    expect(dates(2024)).not.toContain('2024-01-08');
  });

  it('takes Monday off when the second day falls on a Sunday', () => {
    // 2022: 2 January and 1 May are Sundays; 2 May is the Monday, so 3 May is off.
    expect(shifted(2022)).toEqual([
      ['2022-01-03', 'newYear'],
      ['2022-05-03', 'labourDay'],
    ]);
    // 2025: 16 February is a Sunday.
    expect(shifted(2025)).toEqual([['2025-02-17', 'statehood']]);
    // 2018: Armistice Day on a Sunday.
    expect(shifted(2018)).toEqual([['2018-11-12', 'armistice']]);
  });

  it('takes Tuesday off when the first day falls on a Sunday (Statehood Day 2026)', () => {
    expect(shifted(2026)).toEqual([['2026-02-17', 'statehood']]);
    expect(dates(2026)).toContain('2026-02-16');
  });

  it('moves a Sunday Labour Day past Easter Monday (2021: Tuesday 4 May off)', () => {
    expect(dates(2021).filter((d) => d >= '2021-04-01' && d <= '2021-05-31')).toEqual([
      '2021-04-30', '2021-05-01', '2021-05-02', '2021-05-03', '2021-05-04',
    ]);
    expect(shifted(2021)).toEqual([['2021-05-04', 'labourDay']]);
  });

  it('keeps one entry per date when Easter Sunday is 1 May (2016)', () => {
    expect(serbianPublicHolidays(2016).filter((h) => h.date.startsWith('2016-0'))).toEqual([
      { date: '2016-01-01', key: 'newYear' },
      { date: '2016-01-02', key: 'newYear' },
      { date: '2016-01-07', key: 'orthodoxChristmas' },
      { date: '2016-02-15', key: 'statehood' },
      { date: '2016-02-16', key: 'statehood' },
      { date: '2016-04-29', key: 'goodFriday' },
      { date: '2016-04-30', key: 'holySaturday' },
      { date: '2016-05-01', key: 'labourDay' },
      { date: '2016-05-02', key: 'labourDay' },
      { date: '2016-05-03', key: 'labourDay', shifted: true },
    ]);
  });

  it('is sorted, unique, inside the year, and never shifts onto a Sunday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), (year) => {
        const list = serbianPublicHolidays(year);
        const all = list.map((h) => h.date);
        expect([...new Set(all)].sort()).toEqual(all);
        expect(all.every((d) => d.startsWith(`${year}-`))).toBe(true);
        for (const h of list.filter((x) => x.shifted)) {
          expect(new Date(`${h.date}T00:00:00Z`).getUTCDay()).not.toBe(0);
        }
        const stateDates = ['01-01', '01-02', '02-15', '02-16', '05-01', '05-02', '11-11'];
        const sundays = stateDates.filter((md) => new Date(`${year}-${md}T00:00:00Z`).getUTCDay() === 0);
        expect(list.filter((h) => h.shifted)).toHaveLength(sundays.length);
      }),
    );
  });
});

// Written out from the published Orthodox Easter dates and the weekdays of the state holidays,
// not from the code: Easter Sunday, and the working days taken off for a state holiday on a Sunday.
const table2025to2040: Record<number, { easter: string; shifted: string[] }> = {
  2025: { easter: '04-20', shifted: ['02-17'] },
  2026: { easter: '04-12', shifted: ['02-17'] },
  2027: { easter: '05-02', shifted: ['05-04'] },
  2028: { easter: '04-16', shifted: ['01-03'] },
  2029: { easter: '04-08', shifted: ['11-12'] },
  2030: { easter: '04-28', shifted: [] },
  2031: { easter: '04-13', shifted: ['02-17'] },
  2032: { easter: '05-02', shifted: ['02-17', '05-04'] },
  2033: { easter: '04-24', shifted: ['01-03', '05-03'] },
  2034: { easter: '04-09', shifted: ['01-03'] },
  2035: { easter: '04-29', shifted: ['11-12'] },
  2036: { easter: '04-20', shifted: [] },
  2037: { easter: '04-05', shifted: ['02-17'] },
  2038: { easter: '04-25', shifted: ['05-03'] },
  2039: { easter: '04-17', shifted: ['01-03', '05-03'] },
  2040: { easter: '05-06', shifted: ['01-03', '11-12'] },
};

describe('the calendar of 2025–2040', () => {
  const shiftDays = (md: string, days: number) => {
    const d = new Date(`2001-${md}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(5, 10);
  };
  for (const [year, { easter, shifted: moved }] of Object.entries(table2025to2040)) {
    it(`has every non-working day of ${year}`, () => {
      const fixed = ['01-01', '01-02', '01-07', '02-15', '02-16', '05-01', '05-02', '11-11'];
      const easterDays = [-2, -1, 0, 1].map((d) => shiftDays(easter, d));
      const expected = [...new Set([...fixed, ...easterDays, ...moved])].sort().map((md) => `${year}-${md}`);
      expect(orthodoxEaster(Number(year))).toBe(`${year}-${easter}`);
      expect(dates(Number(year))).toEqual(expected);
      expect(shifted(Number(year)).map(([date]) => date)).toEqual(moved.map((md) => `${year}-${md}`));
      for (const date of expected) expect(publicHolidayOn(date)?.date).toBe(date);
    });
  }

  it('answers for any date of any year, and nothing for what is not a date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2025, max: 2100 }), fc.integer({ min: 0, max: 364 }), (year, offset) => {
        const date = new Date(Date.UTC(year, 0, 1 + offset)).toISOString().slice(0, 10);
        expect(publicHolidayOn(date) !== undefined).toBe(dates(year).includes(date));
      }),
    );
    expect(publicHolidayOn('2026-1-1')).toBeUndefined();
    expect(publicHolidayOn('1200-01-01')).toBeUndefined();
  });
});
