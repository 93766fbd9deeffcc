import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import type { SubmissionValues } from '../compute';
import { formatMessage } from '../messages';
import { resolveTenantParameters } from '../parameters';
import { templateVersionSchema, type TemplateVersion } from '../schema';
import { validateTemplate } from '../validate';
import { checkRules, type RuleLookups } from './index';

const template = (key: string): TemplateVersion => standardCatalog.find((t) => t.key === key)!;
const request = template('overtime-request');
const report = template('overtime-report');
const slip = template('overtime-pay-slip');
const leave = template('leave-request');

interface World {
  regularHours?: number;
  overtimeInWeek?: number;
  overtimeOnDay?: number;
  closedMonths?: string[];
  holidays?: string[];
}

/** The tenant's data as rules see it, recording what was asked. */
function lookups(world: World = {}) {
  const calls: { name: string; query: unknown }[] = [];
  const record = <T>(name: string, query: unknown, answer: T) => {
    calls.push({ name, query });
    return Promise.resolve(answer);
  };
  const l: RuleLookups = {
    overtimeMinutesInWeek: (q) => record('overtimeMinutesInWeek', q, world.overtimeInWeek ?? 0),
    overtimeMinutesOn: (q) => record('overtimeMinutesOn', q, world.overtimeOnDay ?? 0),
    regularHoursOn: (q) => record('regularHoursOn', q, world.regularHours ?? 8),
    isClosedMonth: (date) => record('isClosedMonth', date, (world.closedMonths ?? []).includes(date.slice(0, 7))),
    isPublicHoliday: (date) => record('isPublicHoliday', date, (world.holidays ?? []).includes(date)),
  };
  return { lookups: l, calls };
}

const minutesToTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** An overtime request on Wednesday 12 March 2025 from `start` lasting `minutes`. */
const overtime = (start: number, minutes: number): SubmissionValues => ({
  employee: 'emp-1',
  unit: 'unit-1',
  date: '2025-03-12',
  plannedStart: minutesToTime(start),
  plannedEnd: minutesToTime(start + minutes),
  ground: 'workloadIncrease',
  description: 'Припрема буџета',
});

const run = (def: TemplateVersion, values: SubmissionValues, world: World = {}, tenantParameters = resolveTenantParameters(def)) =>
  checkRules(def, { values, tenantParameters, lookups: lookups(world).lookups, documentId: 'doc-1' });

const codes = async (...args: Parameters<typeof run>) => (await run(...args)).map((v) => `${v.rule}:${v.field}:${v.code}`);

describe('labour.overtimeWeeklyCap (Labour Law art. 53: 8 h a week)', () => {
  it('allows exactly 8 hours in a week and refuses 8 hours and one minute', async () => {
    expect(await codes(request, overtime(16 * 60, 120), { overtimeInWeek: 360 })).toEqual([]);
    expect(await codes(request, overtime(16 * 60, 121), { overtimeInWeek: 360 })).toEqual([
      'labour.overtimeWeeklyCap:plannedEnd:overtimeWeeklyCap',
    ]);
  });

  it('explains the refusal with the law and what is left', async () => {
    const [v] = await run(request, overtime(16 * 60, 180), { overtimeInWeek: 360 });
    expect(formatMessage('en', v.code, v.params)).toBe(
      'Overtime may not exceed 8 h a week (Labour Law, art. 53); the week beginning 2025-03-10 already has 6 h, so at most 2 h more, not 3 h.',
    );
    expect(formatMessage('sr-Cyrl', v.code, v.params)).toContain('(Закон о раду, члан 53)');
    expect(formatMessage('sr-Latn', v.code, v.params)).toContain('(Zakon o radu, član 53)');
  });

  it('asks for the ISO week (from Monday) of this template, leaving this document out', async () => {
    const { lookups: l, calls } = lookups();
    await checkRules(request, { values: overtime(16 * 60, 60), tenantParameters: {}, lookups: l, documentId: 'doc-1' });
    expect(calls.find((c) => c.name === 'overtimeMinutesInWeek')?.query).toEqual({
      templateKey: 'overtime-request',
      employeeId: 'emp-1',
      weekOf: '2025-03-10',
      excludeDocumentId: 'doc-1',
    });
  });

  it('refuses exactly when the week would exceed 8 hours', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 600 }), async (used, minutes) => {
        // A rest day (no regular hours), so only the weekly cap can apply below 12 h.
        const found = await codes(request, overtime(6 * 60, minutes), { overtimeInWeek: used, regularHours: 0 });
        expect(found.includes('labour.overtimeWeeklyCap:plannedEnd:overtimeWeeklyCap')).toBe(used + minutes > 480);
      }),
    );
  });
});

describe('labour.overtimeDailyCap (Labour Law art. 53: 12 h a day including regular hours)', () => {
  it('allows 8 regular + 4 overtime hours and refuses a minute more', async () => {
    expect(await codes(request, overtime(16 * 60, 240))).toEqual([]);
    expect(await codes(request, overtime(16 * 60, 241))).toEqual(['labour.overtimeDailyCap:plannedEnd:overtimeDailyCap']);
  });

  it('refuses 5 hours of overtime on a regular 8-hour day, saying why', async () => {
    const [v] = await run(request, overtime(16 * 60, 300));
    expect(formatMessage('en', v.code, v.params)).toBe(
      'On 2025-03-12 working time including overtime may not exceed 12 h (Labour Law, art. 53): regular working time is 8 h and 0 h of overtime are already requested, so at most 4 h of overtime are possible, not 5 h.',
    );
  });

  it('refuses exactly when regular hours plus all overtime of the day exceed 12 hours', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 4, 7.5, 8),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 600 }),
        async (regularHours, existing, minutes) => {
          const found = await codes(request, overtime(6 * 60, minutes), { regularHours, overtimeOnDay: existing });
          expect(found.includes('labour.overtimeDailyCap:plannedEnd:overtimeDailyCap')).toBe(regularHours * 60 + existing + minutes > 720);
        },
      ),
    );
  });

  it('splits work past midnight between the two days', async () => {
    const nightShift = templateVersionSchema.parse({
      key: 'night-overtime',
      version: 1,
      title: { 'sr-Cyrl': 'Ноћни рад', en: 'Night work' },
      category: 'labour',
      classification: '112',
      fields: [
        { name: 'employee', type: 'staff', label: { 'sr-Cyrl': 'Запослени', en: 'Employee' }, required: true },
        { name: 'start', type: 'datetime', label: { 'sr-Cyrl': 'Почетак', en: 'Start' }, required: true },
        { name: 'finish', type: 'datetime', label: { 'sr-Cyrl': 'Крај', en: 'End' }, required: true },
      ],
      rules: [{ rule: 'labour.overtimeDailyCap', fields: { end: 'finish' } }],
      route: [{ id: 'head', kind: 'approve', label: { 'sr-Cyrl': 'Одобрење', en: 'Approval' }, assignee: { type: 'authorUnitHead' } }],
    });
    expect(validateTemplate(nightShift, { catalog: [] })).toEqual([]);
    const values = { employee: 'emp-1', start: '2025-03-12T21:00', finish: '2025-03-13T02:00' };
    // 3 h on the 12th and 2 h on the 13th: each within 12 h with 8 regular hours.
    expect(await codes(nightShift, values)).toEqual([]);
    const [v, ...rest] = await run(nightShift, { ...values, start: '2025-03-12T19:59' });
    expect(rest).toEqual([]);
    expect(v.params).toMatchObject({ date: '2025-03-12', requested: 4.02, allowed: 4 });
  });

  it('skips the check until the inputs are filled', async () => {
    const { lookups: l, calls } = lookups();
    const { plannedEnd: _omitted, ...values } = overtime(16 * 60, 600);
    expect(await checkRules(request, { values, tenantParameters: {}, lookups: l })).toEqual([]);
    expect(calls.filter((c) => c.name !== 'isClosedMonth')).toEqual([]);
  });
});

describe('labour.premiumAtLeast (Labour Law art. 108)', () => {
  const values: SubmissionValues = {
    employee: 'emp-1',
    month: '2025-03',
    totalHours: '10.00',
    nightHours: '2.00',
    holidayHours: '0.00',
    hourlyRate: '512.37',
  };
  const premiums = (overtime: number, night: number, holiday: number) => ({
    'premium.overtime': overtime,
    'premium.night': night,
    'premium.holiday': holiday,
  });

  it('accepts the legal minimums 26 %, 26 % and 110 %', async () => {
    expect(await codes(slip, values, {}, premiums(26, 26, 110))).toEqual([]);
  });

  it('refuses 25.99 % and 109.99 %, each at its parameter', async () => {
    expect(await codes(slip, values, {}, premiums(25.99, 26, 110))).toEqual([
      'labour.premiumAtLeast:premium.overtime:premiumOvertimeBelowMinimum',
    ]);
    expect(await codes(slip, values, {}, premiums(26, 25.99, 110))).toEqual([
      'labour.premiumAtLeast:premium.night:premiumNightBelowMinimum',
    ]);
    const [v] = await run(slip, values, {}, premiums(26, 26, 109.99));
    expect(v.field).toBe('premium.holiday');
    expect(formatMessage('sr-Cyrl', v.code, v.params)).toBe(
      'Увећање зараде за рад на дан празника који је нерадни дан од 109,99 % мање је од законског минимума од 110 % од основице (Закон о раду, члан 108).',
    );
  });

  it('accepts premiums a tenant raises above the minimums', async () => {
    expect(await codes(slip, values, {}, premiums(30, 35.5, 120))).toEqual([]);
  });

  it('holds the legal minimums against the national office too', () => {
    const lowered = structuredClone(slip);
    lowered.rules[0].params = { overtime: 25, night: 26, holiday: 100 };
    const problems = validateTemplate(lowered, { catalog: standardCatalog });
    expect(problems).toEqual([
      { path: ['rules', 0, 'params', 'overtime'], code: 'ruleParamTooSmall', params: { rule: 'labour.premiumAtLeast', param: 'overtime', minimum: 26 } },
      { path: ['rules', 0, 'params', 'holiday'], code: 'ruleParamTooSmall', params: { rule: 'labour.premiumAtLeast', param: 'holiday', minimum: 110 } },
    ]);
  });
});

describe('time.endAfterStart', () => {
  it('refuses an end at or before the start, unless times may run past midnight', async () => {
    const sameDay = { ...request, rules: request.rules.map((r) => (r.rule === 'time.endAfterStart' ? { ...r, params: { overnight: false } } : r)) };
    expect(await codes(sameDay, overtime(16 * 60, 0))).toEqual(['time.endAfterStart:plannedEnd:endNotAfterStart']);
    expect(await codes(request, { ...overtime(16 * 60, 60), plannedEnd: '15:00' })).not.toContain('time.endAfterStart:plannedEnd:endNotAfterStart');
    expect(await codes(sameDay, { ...overtime(16 * 60, 60), plannedEnd: '15:00' })).toEqual([
      'time.endAfterStart:plannedEnd:endNotAfterStart',
    ]);
  });

  it('allows a one-day leave when configured to allow equal dates', async () => {
    const values = { employee: 'e', unit: 'u', leaveType: 'annual', startDate: '2025-07-01', endDate: '2025-07-01', workingDays: 1 };
    expect(await codes(leave, values)).toEqual([]);
    expect(await codes(leave, { ...values, endDate: '2025-06-30' })).toEqual(['time.endAfterStart:endDate:endBeforeStart']);
  });
});

describe('period.notInClosedMonth', () => {
  it('refuses a date in a closed month, naming the month', async () => {
    const found = await run(request, overtime(16 * 60, 60), { closedMonths: ['2025-03'] });
    expect(found).toEqual([{ rule: 'period.notInClosedMonth', field: 'date', code: 'closedMonth', params: { month: '2025-03' } }]);
    expect(await codes(request, overtime(16 * 60, 60), { closedMonths: ['2025-02'] })).toEqual([]);
  });
});

describe('calendar.publicHolidayMatches', () => {
  const worked = {
    request: 'req-1',
    employee: 'emp-1',
    unit: 'unit-1',
    date: '2025-05-01',
    actualStart: '09:00',
    actualEnd: '13:00',
    onPublicHoliday: false,
    workDone: 'Хитна санација',
  };

  it("takes holiday work from the tenant's calendar, not the author's mark", async () => {
    const world = { holidays: ['2025-05-01'] };
    expect(await codes(report, worked, world)).toEqual(['calendar.publicHolidayMatches:onPublicHoliday:isPublicHoliday']);
    expect(await codes(report, { ...worked, onPublicHoliday: true }, world)).toEqual([]);
    expect(await codes(report, { ...worked, date: '2025-05-05', onPublicHoliday: true }, world)).toEqual([
      'calendar.publicHolidayMatches:onPublicHoliday:notPublicHoliday',
    ]);
  });

  it('checks the mark for the day after only for work that runs past midnight (the holiday premium is split at midnight)', async () => {
    const world = { holidays: ['2025-05-01', '2025-05-02'] };
    // 30 April 22:00 to 1 May 06:00: the 6 hours after midnight are on Labour Day.
    const eve = { ...worked, date: '2025-04-30', actualStart: '22:00', actualEnd: '06:00', onPublicHoliday: false, nextDayPublicHoliday: false };
    expect(await codes(report, eve, world)).toEqual(['calendar.publicHolidayMatches:nextDayPublicHoliday:isPublicHoliday']);
    expect(await codes(report, { ...eve, nextDayPublicHoliday: true }, world)).toEqual([]);
    // 2 May 20:00 to 3 May 04:00: 3 May is a working day, so its mark is refused.
    const night = { ...worked, date: '2025-05-02', actualStart: '20:00', actualEnd: '04:00', onPublicHoliday: true };
    expect(await codes(report, night, world)).toEqual([]);
    expect(await codes(report, { ...night, nextDayPublicHoliday: true }, world)).toEqual([
      'calendar.publicHolidayMatches:nextDayPublicHoliday:notPublicHoliday',
    ]);
    // Work that ends by midnight has no hours on the day after: the mark is not asked for.
    expect(await codes(report, { ...eve, actualStart: '16:00', actualEnd: '24:00' }, world)).toEqual([]);
    expect(await codes(report, { ...eve, actualStart: '16:00', actualEnd: '00:00' }, world)).toEqual([]);
  });
});
