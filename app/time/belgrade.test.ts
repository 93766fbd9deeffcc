// An instant reads as Belgrade's clock and calendar show it, on either side of every change of
// its offset and of the year.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { belgradeDateTime, belgradeDate, belgradeYear } from './belgrade';

/** What Intl itself says, field by field. */
function reference(at: Date): { date: string; time: string } {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Belgrade', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${part.day}.${part.month}.${part.year}.`, time: `${part.hour}:${part.minute}` };
}

describe('belgradeDateTime', () => {
  it('reads the clock across the changes to and from summer time', () => {
    const at = (iso: string) => belgradeDateTime(new Date(iso));
    expect(at('2026-03-29T00:59:59Z')).toEqual({ date: '29.03.2026.', time: '01:59' });
    expect(at('2026-03-29T01:00:00Z')).toEqual({ date: '29.03.2026.', time: '03:00' });
    expect(at('2026-10-25T00:59:59Z')).toEqual({ date: '25.10.2026.', time: '02:59' });
    expect(at('2026-10-25T01:00:00Z')).toEqual({ date: '25.10.2026.', time: '02:00' });
    expect(at('2026-12-31T23:30:00Z')).toEqual({ date: '01.01.2027.', time: '00:30' });
  });

  it('agrees with Intl for any instant from 1990 to 2100', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (at) => {
        expect(belgradeDateTime(at)).toEqual(reference(at));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('belgradeYear and belgradeDate', () => {
  it('turn the year and the day at Belgrade midnight, not at UTC midnight', () => {
    expect(belgradeYear(new Date('2026-12-31T22:59:59Z'))).toBe(2026);
    expect(belgradeYear(new Date('2026-12-31T23:00:00Z'))).toBe(2027);
    expect(belgradeDate(new Date('2026-07-01T21:59:59Z'))).toBe('2026-07-01');
    expect(belgradeDate(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });

  it('agree with the date Belgrade’s clock shows for any instant', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (at) => {
        const [day, month, year] = reference(at).date.split('.');
        expect(belgradeDate(at)).toBe(`${year}-${month}-${day}`);
        expect(belgradeYear(at)).toBe(Number(year));
      }),
      { numRuns: 2000 },
    );
  });
});
