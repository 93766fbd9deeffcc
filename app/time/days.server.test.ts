import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './days.server';

describe('addDays', () => {
  it('crosses months, leap days and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('goes back where it came from, one day at a time', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -800, max: 800 }), (at, days) => {
        const date = at.toISOString().slice(0, 10);
        const there = addDays(date, days);
        expect(addDays(there, -days)).toBe(date);
        expect(Date.parse(`${there}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)).toBe(days * 86_400_000);
      }),
    );
  });

  it('refuses what is not a date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});
